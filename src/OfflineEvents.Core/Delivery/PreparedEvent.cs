using System.Collections.Generic;
using OfflineEvents.Core.Rules;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>One input row on its way: either an event ready to send (its JSON) or the errors that stop it.</summary>
    internal sealed class PreparedEvent
    {
        public PreparedEvent(EventShape shape, long row, long line, string?[] fields, object? source)
        {
            Shape = shape;
            Row = row;
            Line = line;
            Fields = fields;
            Source = source;
        }

        public EventShape Shape { get; }
        public long Row { get; }
        public long Line { get; }
        /// <summary>The input values; kept until the event is acknowledged, for the reject file.</summary>
        public string?[]? Fields { get; set; }
        /// <summary>Where the row came from (a file path), for messages.</summary>
        public object? Source { get; }

        public string EventName { get; set; } = string.Empty;
        public string EventId { get; set; } = string.Empty;
        public byte[]? Json { get; set; }
        /// <summary>The manual-upload record (OfflineEventColumns.All order), when exporting.</summary>
        public string[]? Record { get; set; }
        public List<RowIssue>? Errors { get; set; }
        /// <summary>The email and phone results of the rules, kept for a rejected row's safe fields.</summary>
        public Pii.PiiResult Email { get; set; }
        public Pii.PiiResult Phone { get; set; }
        public List<RowIssue>? Warnings { get; set; }

        /// <summary>TikTok deduplicates on event set + event + event_id; so does the journal.</summary>
        public string JournalKey(string eventSetId) => DeliveryJournal.Key(eventSetId, EventName, EventId);
    }
}
