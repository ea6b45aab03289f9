namespace OfflineEvents.Core.Pii
{
    /// <summary>The identifiers TikTok matches offline events on.</summary>
    public enum PiiField
    {
        Email,
        Phone,
        ExternalId,
    }
}
