using System;
using System.Collections.Generic;
using System.Linq;

namespace OfflineEvents.Core.Rules
{
    /// <summary>The manual-upload columns (shared doc §7), in TikTok's order.</summary>
    public static class OfflineEventColumns
    {
        public const string EventType = "event_type";
        public const string Email = "email";
        public const string Phone = "phone";
        public const string Timestamp = "timestamp";
        public const string Price = "price";
        public const string Currency = "currency";
        public const string TransactionCategory = "transaction_category";
        public const string OrderId = "order_id";
        public const string Quantity = "quantity";
        public const string ProductId = "product_id";
        public const string ProductCategory = "product_category";
        public const string StoreId = "store_id";

        /// <summary>Not in the manual upload; the Events API takes them (Send-OfflineEvent reads them when present).</summary>
        public const string ExternalId = "external_id";

        /// <summary>Not in the manual upload: a caller's own event id, sent as is instead of a derived one.</summary>
        public const string EventId = "event_id";

        // Not in the manual upload: fields an export may carry that the module reads into the ones above.

        /// <summary>The date part of a timestamp given in two columns (with <see cref="Time"/>).</summary>
        public const string Date = "date";

        /// <summary>The time-of-day part of a timestamp given in two columns (with <see cref="Date"/>).</summary>
        public const string Time = "time";

        /// <summary>The row's own time zone (IANA, Windows or Rails names), for timestamps without an offset.</summary>
        public const string TimeZone = "time_zone";

        /// <summary>The row's own region (ISO 3166 code) for phone numbers written without a country code.</summary>
        public const string Region = "region";

        /// <summary>A product's name, sent as the content's name.</summary>
        public const string ProductName = "product_name";

        /// <summary>The columns beside TikTok's that a timestamp may come from (date and time, time_zone): matched by exact name too.</summary>
        public static IReadOnlyList<string> TimeParts { get; } = new[] { Date, Time, TimeZone };

        public static IReadOnlyList<string> All { get; } = new[]
        {
            EventType, Email, Phone, Timestamp, Price, Currency, TransactionCategory, OrderId, Quantity, ProductId, ProductCategory, StoreId,
        };
    }

    /// <summary>How header names are matched to the standard columns.</summary>
    public enum ColumnMatching
    {
        /// <summary>TikTok's names, ignoring case and surrounding spaces: what the manual upload accepts.</summary>
        Exact,
        /// <summary>Also the usual spellings (<see cref="ColumnAliases"/>), and external_id and event_id.</summary>
        Aliases,
    }

    /// <summary>Where each standard column sits in a header (-1 when absent), and what else the header has.</summary>
    public sealed class ColumnMap
    {
        private readonly Dictionary<string, int> _index = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly Dictionary<string, List<int>> _all = new Dictionary<string, List<int>>(StringComparer.Ordinal);

        /// <summary>Header names match as <paramref name="matching"/> says; the first of duplicates wins.</summary>
        public ColumnMap(IReadOnlyList<string> headers, ColumnMatching matching = ColumnMatching.Exact)
        {
            Headers = headers;
            var duplicates = new List<string>();
            var unknown = new List<string>();
            for (int i = 0; i < headers.Count; i++)
            {
                string name = (headers[i] ?? string.Empty).Trim().ToLowerInvariant();
                if (matching == ColumnMatching.Aliases)
                {
                    name = ColumnAliases.TryResolve(headers[i], out string column) ? column : string.Empty;
                }
                if (!OfflineEventColumns.All.Contains(name) && !OfflineEventColumns.TimeParts.Contains(name) && !(matching == ColumnMatching.Aliases && name.Length > 0))
                {
                    unknown.Add(headers[i] ?? string.Empty);
                    continue;
                }
                if (_index.ContainsKey(name)) duplicates.Add(name);
                else _index[name] = i;
                if (!_all.TryGetValue(name, out var all)) _all[name] = all = new List<int>(1);
                all.Add(i);
            }
            Duplicates = duplicates;
            Unknown = unknown;
        }

        public IReadOnlyList<string> Headers { get; }

        /// <summary>Standard columns that appear more than once.</summary>
        public IReadOnlyList<string> Duplicates { get; }

        /// <summary>Columns TikTok's manual upload does not know.</summary>
        public IReadOnlyList<string> Unknown { get; }

        public int this[string column] => _index.TryGetValue(column, out int i) ? i : -1;

        public bool Has(string column) => _index.ContainsKey(column);

        /// <summary>Every column that feeds a field, in header order (empty when none): an identifier may come from several.</summary>
        public IReadOnlyList<int> Indexes(string column) => _all.TryGetValue(column, out var all) ? all : (IReadOnlyList<int>)Array.Empty<int>();

        /// <summary>Whether any header is one of TikTok's column names (else the first line is no header).</summary>
        public bool HasStandardColumns => _index.Count > 0;

        /// <summary>Required columns that are missing: event_type, timestamp (or a date column, with a time column or not), and email or phone.</summary>
        /// <param name="eventTypeDefaulted">Whether a default event type stands in for a missing event_type column.</param>
        public IReadOnlyList<string> MissingRequired(bool eventTypeDefaulted = false)
        {
            var missing = new List<string>();
            if (!Has(OfflineEventColumns.EventType) && !eventTypeDefaulted) missing.Add(OfflineEventColumns.EventType);
            if (!Has(OfflineEventColumns.Timestamp) && !Has(OfflineEventColumns.Date)) missing.Add(OfflineEventColumns.Timestamp);
            if (!Has(OfflineEventColumns.Email) && !Has(OfflineEventColumns.Phone)) missing.Add("email or phone");
            return missing;
        }
    }
}
