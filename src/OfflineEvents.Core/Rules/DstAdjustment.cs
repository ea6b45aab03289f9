namespace OfflineEvents.Core.Rules
{
    /// <summary>How a local time was placed on a day the clocks change (about_OfflineEvents, TIMESTAMPS).</summary>
    public enum DstAdjustment
    {
        None,
        /// <summary>In the spring-forward gap, a time the clocks skip: moved forward by the gap (02:30 becomes 03:30), as .NET and most schedulers do.</summary>
        MovedForward,
        /// <summary>In the fall-back overlap, a time that happens twice: read as the first occurrence (daylight time).</summary>
        FirstOccurrence,
    }
}
