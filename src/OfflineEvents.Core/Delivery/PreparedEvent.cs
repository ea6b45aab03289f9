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
        /// <summary>The input values, kept until the event is acknowledged (for the reject file); null once released.</summary>
        public string?[]? Fields { get; set; }
        /// <summary>Where the row came from (a file path), for messages.</summary>
        public object? Source { get; }

        public string EventName { get; set; } = string.Empty;
        public string EventId { get; set; } = string.Empty;
        /// <summary>Event name and id in 16 bytes, worked out on the worker: the run's memory of what it has taken.</summary>
        public EventKey Key { get; set; }
        /// <summary>The order id as sent (null when the row has none), for the journal's delivery history.</summary>
        public string? OrderId { get; set; }
        /// <summary>event_time, Unix seconds.</summary>
        public long EventTime { get; set; }
        public byte[]? Json { get; set; }
        /// <summary>The manual-upload CSV line, when exporting.</summary>
        public Files.UploadLine UploadLine { get; set; }
        public List<RowIssue>? Errors { get; set; }
        /// <summary>The -EventTypeMap maps the row's event value to no event: counted as skipped, not sent or written.</summary>
        public bool Skipped { get; set; }
        /// <summary>The email and phone results of the rules, kept for a rejected row's safe fields.</summary>
        public Pii.PiiResult Email { get; set; }
        public Pii.PiiResult Phone { get; set; }
        public List<RowIssue>? Warnings { get; set; }

        /// <summary>The input values; kept until the event is acknowledged, for the reject file.</summary>
        public string?[] InputFields() => Fields ?? System.Array.Empty<string?>();

        public void ReleaseFields() => Fields = null;
    }
}
