using System;
using System.Collections.Generic;
using OfflineEvents.Core.Pii;

namespace OfflineEvents.Core.Rules
{
    /// <summary>What the row rules need besides the row: the PII normalizer (its region), a time zone, the clock.</summary>
    public sealed class RowRuleOptions
    {
        public RowRuleOptions(PiiNormalizer? pii = null, TimeZoneInfo? timeZone = null, DateTimeOffset? now = null)
        {
            Pii = pii ?? new PiiNormalizer();
            TimeZone = timeZone;
            Now = now ?? DateTimeOffset.UtcNow;
        }

        public PiiNormalizer Pii { get; }

        /// <summary>Where offset-less timestamps happened; null reads them as UTC, with a warning.</summary>
        public TimeZoneInfo? TimeZone { get; }

        public DateTimeOffset Now { get; }

        /// <summary>
        /// The earliest time sent (2000-01-01T00:00:00Z): TikTok-like servers refuse times at or near the Unix epoch,
        /// and an earlier time in an export is a placeholder ("empty" 0001-01-01, 1970-01-01), not a sale: an error.
        /// </summary>
        public DateTimeOffset Earliest { get; set; } = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

        /// <summary>TikTok does not attribute older events (partner docs): a warning.</summary>
        public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(28);

        private string? _defaultEventType;

        /// <summary>The event of rows whose event_type is blank or missing (an export of one kind of event); an API name.</summary>
        public string? DefaultEventType
        {
            get => _defaultEventType;
            set => _defaultEventType = value == null ? null
                : EventNames.ToApiName(value) ?? throw new ArgumentException($"'{value}' is not a TikTok event" + (EventNames.Suggest(value) is string s ? $": did you mean '{s}'?" : "."), nameof(DefaultEventType));
        }

        private string? _defaultCurrency;

        /// <summary>The currency of rows whose currency is blank or missing; an ISO 4217 code.</summary>
        public string? DefaultCurrency
        {
            get => _defaultCurrency;
            set => _defaultCurrency = value == null ? null
                : Currencies.TryNormalize(value, out string code) ? code : throw new ArgumentException($"'{value}' is not an ISO 4217 currency code such as USD, EUR or GBP.", nameof(DefaultCurrency));
        }

        /// <summary>
        /// Whether rejected rows are reported one by one (messages, safe fields, the host's Rejected call). Off
        /// when nobody can see them (-ErrorAction Ignore and no reject file): they are only counted per rule.
        /// </summary>
        public bool DescribeRejects { get; set; } = true;

        /// <summary>Which input columns a reject carries (its SafeFields, the reject file): by default only those the module reads.</summary>
        public Delivery.RejectColumns RejectColumns { get; set; } = Delivery.RejectColumns.Read;

        /// <summary>The -ColumnMap: which source columns feed which field (null: detected by name).</summary>
        public ColumnMapping? Columns { get; set; }

        private IReadOnlyDictionary<string, string?>? _eventTypeMap;

        /// <summary>
        /// The -EventTypeMap: an export's own event values (any case, spaces around ignored) to TikTok events, or to
        /// null for rows that are no event to send (skipped). Unmapped values are read as event names.
        /// </summary>
        /// <exception cref="ArgumentException">A value that is not a TikTok event (with "did you mean").</exception>
        public IReadOnlyDictionary<string, string?>? EventTypeMap
        {
            get => _eventTypeMap;
            set
            {
                if (value == null)
                {
                    _eventTypeMap = null;
                    return;
                }
                var map = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
                foreach (var entry in value)
                {
                    map[entry.Key.Trim()] = entry.Value == null ? null
                        : EventNames.ToApiName(entry.Value) ?? throw new ArgumentException(
                            $"-EventTypeMap maps '{entry.Key}' to '{entry.Value}', which is not a TikTok event" + (EventNames.Suggest(entry.Value) is string s ? $": did you mean '{s}'?" : "; see about_OfflineEvents for the names."), nameof(EventTypeMap));
                }
                _eventTypeMap = map;
            }
        }

        /// <summary>Whether price is the row's total (the upload template's meaning) or the price of one item.</summary>
        public PriceMeaning PriceIs { get; set; } = PriceMeaning.RowTotal;

        /// <summary>-TimestampFormat and -Culture: layouts tried after ISO-8601 (null: ISO-8601 and epoch values only).</summary>
        public TimestampFormats? TimestampFormats { get; set; }

        /// <summary>-Culture for prices and quantities: its decimal and thousands separators (null: '.' and no grouping).</summary>
        public System.Globalization.CultureInfo? NumberCulture { get; set; }

        /// <summary>Clock skew allowed before a timestamp counts as in the future.</summary>
        public TimeSpan FutureTolerance { get; set; } = TimeSpan.FromMinutes(10);
    }
}
