using System;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>One event the journal recorded as acknowledged by TikTok: its keys, when it was sent and the request id. No PII.</summary>
    public sealed class DeliveredEvent
    {
        internal DeliveredEvent(string? orderId, string eventSetId, string eventName, string eventId, DateTime sentAt, string requestId, long runId)
        {
            OrderId = orderId;
            EventSetId = eventSetId;
            Event = eventName;
            EventId = eventId;
            SentAt = sentAt;
            RequestId = requestId;
            RunId = runId;
        }

        public string? OrderId { get; }
        public string EventSetId { get; }
        /// <summary>The event as sent (Purchase, Contact, ...).</summary>
        public string Event { get; }
        public string EventId { get; }
        /// <summary>When TikTok acknowledged the batch, UTC.</summary>
        public DateTime SentAt { get; }
        /// <summary>TikTok's request id of that batch: what its support asks for.</summary>
        public string RequestId { get; }
        public long RunId { get; }

        public override string ToString() => $"{OrderId} {Event} {EventId} sent {SentAt:yyyy-MM-dd HH:mm:ss}Z (request id {RequestId})";
    }
}
