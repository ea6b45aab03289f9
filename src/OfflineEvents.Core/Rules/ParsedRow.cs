using System;
using System.Collections.Generic;
using OfflineEvents.Core.Pii;

namespace OfflineEvents.Core.Rules
{
    /// <summary>A row's values as the rules read them; filled by <see cref="EventRowValidator.Validate"/> on request.</summary>
    public sealed class ParsedRow
    {
        /// <summary>The API event name, or null when unknown.</summary>
        public string? EventName { get; internal set; }
        public DateTimeOffset? Time { get; internal set; }
        public decimal? Price { get; internal set; }
        public string? Currency { get; internal set; }
        public long? Quantity { get; internal set; }
        /// <summary>The hashed email: the first valid one of the email columns, else the first invalid one (Outcome Blank when there is none).</summary>
        public PiiResult Email { get; internal set; }
        public PiiResult Phone { get; internal set; }

        /// <summary>The column <see cref="Email"/> came from (-1 when none).</summary>
        public int EmailColumn { get; internal set; } = -1;
        public int PhoneColumn { get; internal set; } = -1;

        /// <summary>
        /// Every distinct valid email of the row's email columns, in column order, at most
        /// <see cref="EventRowValidator.MaxValuesPerIdentifier"/>: hashes when the row was hashed (a sender), else normalized values.
        /// </summary>
        public IReadOnlyList<string> Emails => EmailValues;
        public IReadOnlyList<string> Phones => PhoneValues;

        internal readonly List<string> EmailValues = new List<string>(2);
        internal readonly List<string> PhoneValues = new List<string>(2);

        internal void Clear()
        {
            EventName = null;
            Time = null;
            Price = null;
            Currency = null;
            Quantity = null;
            Email = default;
            Phone = default;
            EmailColumn = -1;
            PhoneColumn = -1;
            EmailValues.Clear();
            PhoneValues.Clear();
        }
    }
}
