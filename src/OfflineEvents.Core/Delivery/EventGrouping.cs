namespace OfflineEvents.Core.Delivery
{
    /// <summary>Which rows Send-OfflineEvent makes into one event (-GroupBy).</summary>
    public enum EventGrouping
    {
        /// <summary>The lines of one order (same order_id, store and event) become one event with a contents entry each.</summary>
        Order,
        /// <summary>Every row is an event of its own: for exports that are already order-level.</summary>
        None,
    }
}
