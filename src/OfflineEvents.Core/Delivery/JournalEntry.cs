namespace OfflineEvents.Core.Delivery
{
    /// <summary>One acknowledged event as the journal records it: keys and the order id, no PII.</summary>
    internal readonly struct JournalEntry
    {
        public JournalEntry(string eventSetId, string eventName, string eventId, string? orderId)
        {
            EventSetId = eventSetId;
            EventName = eventName;
            EventId = eventId;
            OrderId = orderId;
        }

        public string EventSetId { get; }
        public string EventName { get; }
        public string EventId { get; }
        public string? OrderId { get; }
    }
}
