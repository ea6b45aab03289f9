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
        /// <summary>The email and phone results of the rules, kept for a rejected row's safe fields (default unless the rules rejected it).</summary>
        public Pii.PiiResult Email => _rejectedIdentity?.Email ?? default;
        public Pii.PiiResult Phone => _rejectedIdentity?.Phone ?? default;

        // Out of line, as only rows the rules reject have them: inline, the two results made every row 256 bytes instead
        // of 184, and every row outlives gen0 (its order open, its batch in flight).
        private RejectedIdentity? _rejectedIdentity;

        public void SetRejectedIdentity(Pii.PiiResult email, Pii.PiiResult phone) => _rejectedIdentity = new RejectedIdentity(email, phone);

        private sealed class RejectedIdentity
        {
            public RejectedIdentity(Pii.PiiResult email, Pii.PiiResult phone)
            {
                Email = email;
                Phone = phone;
            }

            public Pii.PiiResult Email { get; }
            public Pii.PiiResult Phone { get; }
        }
        public List<RowIssue>? Warnings { get; set; }

        /// <summary>What the row adds to its event (Send only): kept while its order is open.</summary>
        public OrderLine? OrderLine { get; set; }
        /// <summary>Event, store and order id of a row whose order collects its lines (-GroupBy Order); null for a row sent alone.</summary>
        public string? GroupKey { get; set; }
        /// <summary>The row has neither email nor phone: not sent, counted as Unidentified (unless its order has one).</summary>
        public bool Unidentified { get; set; }
        /// <summary>An order's event: the rows it was built from (rejected, released and counted with it).</summary>
        public List<PreparedEvent>? Lines { get; set; }
        /// <summary>Rows the event stands for: its lines, or 1.</summary>
        public int RowCount => Lines?.Count ?? 1;
        /// <summary>The run already remembers the event's key (an order sent before its input ended).</summary>
        public bool Registered { get; set; }

        /// <summary>The input values; kept until the event is acknowledged, for the reject file.</summary>
        public string?[] InputFields() => Fields ?? System.Array.Empty<string?>();

        public void ReleaseFields()
        {
            Fields = null;
            OrderLine = null;
            if (Lines != null)
            {
                foreach (var line in Lines) line.ReleaseFields();
            }
        }
    }
}
