using System;
using System.Collections.Generic;
using System.Linq;
using OfflineEvents.Core.Pii;

namespace OfflineEvents.Core.Rules
{
    /// <summary>
    /// The row rules of the manual-upload format, shared by Test-OfflineEventFile and Send-OfflineEvent so that
    /// a row one calls an error the other will not send. Host-free and allocation-light; one instance per thread.
    /// </summary>
    public sealed class EventRowValidator
    {
        private readonly ColumnMap _map;
        private readonly RowRuleOptions _options;
        private readonly int _eventType, _timestamp, _price, _currency, _quantity, _region;
        // The identifier's first column (where a row without any is reported), and all its columns (Phone, Mobile, Billing Phone).
        private readonly int _email, _phone;
        private readonly int[] _emails, _phones, _externalIds;
        private readonly bool[] _isEmail, _isPhone;
        // Receives the identifiers when the caller wants no parsed values (Test): the verdicts need them all the same.
        private readonly ParsedRow _scratch = new ParsedRow();
        private readonly List<(PiiField Field, int Column, PiiResult Result)> _invalid = new List<(PiiField, int, PiiResult)>();
        private string? _regionField;
        // A timestamp in two columns (date, time) when there is no timestamp column, and the row's own zone.
        private readonly int _date, _time, _timeZone;

        public EventRowValidator(ColumnMap map, RowRuleOptions options)
        {
            _map = map ?? throw new ArgumentNullException(nameof(map));
            _options = options ?? throw new ArgumentNullException(nameof(options));
            _eventType = map[OfflineEventColumns.EventType];
            _emails = map.Indexes(OfflineEventColumns.Email).ToArray();
            _phones = map.Indexes(OfflineEventColumns.Phone).ToArray();
            _externalIds = map.Indexes(OfflineEventColumns.ExternalId).ToArray();
            _email = map[OfflineEventColumns.Email];
            _phone = map[OfflineEventColumns.Phone];
            _timestamp = map[OfflineEventColumns.Timestamp];
            _price = map[OfflineEventColumns.Price];
            _currency = map[OfflineEventColumns.Currency];
            _quantity = map[OfflineEventColumns.Quantity];
            _region = map[OfflineEventColumns.Region];
            _date = _timestamp < 0 ? map[OfflineEventColumns.Date] : -1;
            _time = _date >= 0 ? map[OfflineEventColumns.Time] : -1;
            _timeZone = map[OfflineEventColumns.TimeZone];
            var limits = new List<(int, int)>();
            foreach (var limit in MaxLengths)
            {
                if (map[limit.Key] >= 0) limits.Add((map[limit.Key], limit.Value));
                // Every column of a field holds to its limit (Phone, Mobile, Billing Phone), as ConvertTo-HashedPii's cells do.
                foreach (int i in map.Indexes(limit.Key)) if (i != map[limit.Key]) limits.Add((i, limit.Value));
            }
            _limits = limits.ToArray();
            _tooLong = new bool[map.Headers.Count];
            _isEmail = new bool[map.Headers.Count];
            _isPhone = new bool[map.Headers.Count];
            foreach (int i in _emails) _isEmail[i] = true;
            foreach (int i in _phones) _isPhone[i] = true;
        }

        /// <summary>
        /// The most distinct values of one identifier (email, phone, external_id) an event carries. TikTok documents
        /// user.email and user.phone as a string or an array of strings and gives no limit; a customer has one or two,
        /// so more in one row or order is more likely a broken join than a person: the first 5 are sent, with a warning.
        /// </summary>
        public const int MaxValuesPerIdentifier = 5;

        /// <summary>
        /// The longest value each column may hold, in characters (spaces around it included). TikTok documents no
        /// lengths for these fields: the limits are well above any real value (an email address is at most 320,
        /// RFC 5321), so a longer one is a broken export, and it is refused before any rule reads it (a 10 MB
        /// event type took 12 s to compare with the event names).
        /// </summary>
        public static IReadOnlyDictionary<string, int> MaxLengths { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            [OfflineEventColumns.EventType] = 64,
            [OfflineEventColumns.Email] = 320,
            [OfflineEventColumns.Phone] = 64,
            [OfflineEventColumns.Timestamp] = 64,
            [OfflineEventColumns.Price] = 64,
            [OfflineEventColumns.Currency] = 16,
            [OfflineEventColumns.Quantity] = 64,
            [OfflineEventColumns.TransactionCategory] = 256,
            [OfflineEventColumns.OrderId] = 256,
            [OfflineEventColumns.ProductId] = 256,
            [OfflineEventColumns.ProductCategory] = 256,
            [OfflineEventColumns.StoreId] = 256,
            [OfflineEventColumns.ExternalId] = 256,
            [OfflineEventColumns.EventId] = 256,
            [OfflineEventColumns.Region] = 16,
            [OfflineEventColumns.Date] = 64,
            [OfflineEventColumns.Time] = 64,
            [OfflineEventColumns.TimeZone] = 64,
        };

        private readonly (int Column, int Max)[] _limits;
        private readonly bool[] _tooLong;

        private bool TooLong(int column) => column >= 0 && column < _tooLong.Length && _tooLong[column];

        /// <summary>Whether the last row validated was skipped: the -EventTypeMap maps its event value to no event.</summary>
        public bool Skipped { get; private set; }

        /// <summary>Appends the row's issues; returns the number of errors among them.</summary>
        /// <param name="fields">The row's values, in header order.</param>
        /// <param name="issues">Receives the issues.</param>
        /// <param name="describe">
        /// Whether an issue of a rule still needs its message. A checker that keeps only the first N issues of
        /// each rule says no once a rule has them, and the issue comes with an empty message: formatting
        /// messages nobody keeps was most of the cost on files where every row has the same problem.
        /// </param>
        /// <param name="parsed">
        /// When given, receives the parsed values, and email and phone are hashed while they are checked (one
        /// libphonenumber parse per value), so a sender need not read the row twice.
        /// </param>
        public int Validate(IReadOnlyList<string?> fields, List<RowIssue> issues, Func<string, bool>? describe = null, ParsedRow? parsed = null)
        {
            int errors = 0;
            _describe = describe;
            _parsed = parsed;
            parsed?.Clear();
            Skipped = false;
            string? mappedEvent = null;
            if (_options.EventTypeMap is IReadOnlyDictionary<string, string?> eventMap && _eventType >= 0 && _eventType < fields.Count && fields[_eventType] is string source
                && eventMap.TryGetValue(source.Trim(), out mappedEvent) && mappedEvent == null)
            {
                // Not an event to send (a refund): no rule applies to the rest of the row.
                Skipped = true;
                return 0;
            }
            void Add(string rule, Severity severity, int column, string message)
            {
                issues.Add(new RowIssue(rule, severity, column >= 0 && column < _map.Headers.Count ? _map.Headers[column] : string.Empty, message));
                if (severity == Severity.Error) errors++;
            }
            foreach (var (column, max) in _limits)
            {
                int length = column < fields.Count ? fields[column]?.Length ?? 0 : 0;
                _tooLong[column] = length > max;
                if (length > max)
                {
                    Add(RuleIds.FieldTooLong, Severity.Error, column,
                        Want(RuleIds.FieldTooLong) ? $"{_map.Headers[column]} is {length:N0} characters long, over the limit of {max} (a broken export or a misplaced column?)" : string.Empty);
                }
            }
            // A value over its limit is read as no value, and its column's other rules stay silent.
            string Field(int i) => i >= 0 && i < fields.Count && !TooLong(i) ? fields[i] ?? string.Empty : string.Empty;

            string eventType = mappedEvent ?? Field(_eventType).Trim();
            if (eventType.Length == 0 && _options.DefaultEventType != null && !TooLong(_eventType)) eventType = _options.DefaultEventType;
            _apiName = null;
            if (TooLong(_eventType))
            {
                // reported above
            }
            else if (eventType.Length == 0)
            {
                Add(RuleIds.EventTypeMissing, Severity.Error, _eventType,
                    Want(RuleIds.EventTypeMissing) ? "event_type is empty" : string.Empty);
            }
            else if ((_apiName = EventNames.ToApiName(eventType)) == null)
            {
                string? suggestion = EventNames.Suggest(eventType);
                Add(RuleIds.EventTypeUnknown, Severity.Error, _eventType,
                    Want(RuleIds.EventTypeUnknown) ? $"'{Shorten(eventType)}' is not a TikTok event" + (suggestion != null ? $": did you mean '{suggestion}'?" : "; if it is the export's own name for an event, map it with -EventTypeMap (see about_OfflineEvents for TikTok's names)") : string.Empty);
            }

            // The row's own region (a region column) reads its national phone numbers before -DefaultRegion does.
            _regionField = _region >= 0 ? Field(_region) : null;
            if (AllBlank(_emails, fields, phone: false) && AllBlank(_phones, fields, phone: true))
            {
                // Walk-in sales and withheld callers are normal: counted as Unidentified and not sent, but no error.
                Add(RuleIds.IdentityMissing, Severity.Warning, _email >= 0 ? _email : _phone,
                    Want(RuleIds.IdentityMissing + WarningKey) ? "neither email nor phone is given: TikTok cannot match the event to anyone, so it is counted as Unidentified and not sent" : string.Empty);
            }
            if (parsed != null) parsed.EventName = _apiName;
            CheckIdentity(fields, ref errors, issues);
            // An external_id that cannot be hashed as it is (U+FFFD: mis-decoded) is an error on every route, as email and phone are.
            foreach (int column in _externalIds)
            {
                var external = _options.Pii.Validate(PiiField.ExternalId, Field(column));
                if (external.IsInvalid) Add(external.Rule!, Severity.Error, column, Want(external.Rule!) ? $"external_id {external.Masked} {external.Reason}" : string.Empty);
            }

            if (!TooLong(_timestamp) && !TooLong(_date) && !TooLong(_time) && !TooLong(_timeZone))
            {
                CheckTimestamp(_timestamp >= 0 ? Field(_timestamp) : Field(_date), _time >= 0 ? Field(_time) : null, Field(_timeZone), issues, ref errors);
            }

            string price = Field(_price);
            decimal priceValue = 0;
            string priceCurrency = string.Empty;
            if (price.Trim().Length > 0 && !ValueRules.TryParsePrice(price, _options.NumberCulture, out priceValue, out priceCurrency, out string priceReason))
            {
                priceValue = 0;
                priceCurrency = string.Empty;
                Add(RuleIds.PriceInvalid, Severity.Error, _price,
                    Want(RuleIds.PriceInvalid) ? $"price '{Shorten(price)}' {priceReason}" : string.Empty);
            }
            else if (parsed != null && price.Trim().Length > 0)
            {
                parsed.Price = priceValue;
            }
            string currency = Field(_currency);
            // The currency column wins, then a code or sign written with the price ('12,50 €'), then -DefaultCurrency.
            if (currency.Trim().Length > 0 && priceCurrency.Length > 0 && Currencies.TryNormalize(currency, out string columnCode) && columnCode != priceCurrency)
            {
                Add(RuleIds.PriceInvalid, Severity.Error, _price,
                    Want(RuleIds.PriceInvalid) ? $"price '{Shorten(price)}' is written in {priceCurrency} but the currency column says {columnCode}" : string.Empty);
            }
            if (currency.Trim().Length == 0 && priceCurrency.Length > 0) currency = priceCurrency;
            if (currency.Trim().Length == 0 && _options.DefaultCurrency != null) currency = _options.DefaultCurrency;
            string currencyCode = string.Empty;
            if (currency.Trim().Length > 0 && !Currencies.TryNormalize(currency, out currencyCode))
            {
                Add(RuleIds.CurrencyInvalid, Severity.Error, _currency,
                    Want(RuleIds.CurrencyInvalid) ? $"currency '{Shorten(currency)}' is not an ISO 4217 code such as USD, EUR or GBP" : string.Empty);
            }
            else if (currency.Trim().Length > 0)
            {
                if (parsed != null) parsed.Currency = currencyCode;
                if (!Currencies.IsTikTokSupported(currencyCode))
                {
                    Add(RuleIds.CurrencyUnsupported, Severity.Warning, _currency,
                        Want(RuleIds.CurrencyUnsupported) ? $"currency {currencyCode} is an ISO 4217 code but not one TikTok lists as supported: TikTok may not report the value" : string.Empty);
                }
            }
            string quantity = Field(_quantity);
            long quantityValue = 0;
            if (quantity.Trim().Length > 0 && !ValueRules.TryParseQuantity(quantity, _options.NumberCulture, out quantityValue, out string quantityReason))
            {
                Add(RuleIds.QuantityInvalid, Severity.Error, _quantity,
                    Want(RuleIds.QuantityInvalid) ? $"quantity '{Shorten(quantity)}' {quantityReason}" : string.Empty);
            }
            else if (parsed != null && quantity.Trim().Length > 0)
            {
                parsed.Quantity = quantityValue;
            }
            // With -PriceIs UnitPrice the row's total is price x quantity: each within bounds can still make one TikTok cannot take.
            if (_options.PriceIs == PriceMeaning.UnitPrice && priceValue > 0 && quantityValue > 1 && priceValue * quantityValue >= ValueRules.MaxAmount)
            {
                Add(RuleIds.ValueTooLarge, Severity.Error, _price,
                    Want(RuleIds.ValueTooLarge) ? $"price '{Shorten(price)}' x quantity '{Shorten(quantity)}' is {ValueRules.MaxAmount:N0} or more: TikTok takes values below that" : string.Empty);
            }

            for (int i = 0; i < fields.Count; i++)
            {
                if (i == _price || i == _quantity || _isEmail[i] || TooLong(i)) continue;
                string value = fields[i] ?? string.Empty;
                if (!ValueRules.LooksLikeFormula(value)) continue;
                // A phone in international form starts with '+'; a negative number is reported by its own rule.
                if (_isPhone[i] && value[0] == '+') continue;
                if (decimal.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)) continue;
                string shown = _isPhone[i] ? "the value" : $"'{Shorten(value)}'";
                Add(RuleIds.FormulaCell, Severity.Warning, i,
                    Want(RuleIds.FormulaCell) ? $"{shown} starts with '{Printable(value[0])}' and could run as a formula when the file is opened in a spreadsheet" : string.Empty);
            }
            return errors;
        }

        private Func<string, bool>? _describe;
        private ParsedRow? _parsed;
        private string? _apiName;

        private bool Want(string rule) => _describe == null || _describe(rule);

        /// <summary>Whether the row last validated has a valid email (identity coverage).</summary>
        public bool EmailValid { get; private set; }

        /// <summary>Whether the row last validated has a valid phone.</summary>
        public bool PhoneValid { get; private set; }

        /// <summary>Appended to a rule id when <c>describe</c> is asked about the rule's warning: a warning is described once per
        /// run, an error every time, and a rule such as EmailInvalid is either, depending on the row.</summary>
        public const string WarningKey = "/warning";

        /// <summary>
        /// Identity per key: a row is sent with every distinct identifier that is valid, from each of the identifier's
        /// columns (Phone, Mobile, Billing Phone). An invalid one beside a valid one is left out with a warning; only
        /// when none is valid in any column is it an error.
        /// </summary>
        private void CheckIdentity(IReadOnlyList<string?> fields, ref int errors, List<RowIssue> issues)
        {
            var parsed = _parsed ?? _scratch;
            if (_parsed == null) _scratch.Clear();
            _invalid.Clear();
            EmailValid = Collect(PiiField.Email, _emails, fields, parsed, parsed.EmailValues, issues);
            PhoneValid = Collect(PiiField.Phone, _phones, fields, parsed, parsed.PhoneValues, issues);
            bool anyValid = EmailValid || PhoneValid;
            foreach (var (field, column, result) in _invalid)
            {
                Report(field, column, result, anyValid, ref errors, issues);
                // With no valid identifier the first invalid one is the row's (a reject shows it masked in its column).
                if (!anyValid && field == PiiField.Email && parsed.EmailColumn < 0) { parsed.Email = result; parsed.EmailColumn = column; }
                if (!anyValid && field == PiiField.Phone && parsed.PhoneColumn < 0) { parsed.Phone = result; parsed.PhoneColumn = column; }
            }
        }

        private bool AllBlank(int[] columns, IReadOnlyList<string?> fields, bool phone)
        {
            foreach (int i in columns)
            {
                if (TooLong(i)) return false;
                string? value = i < fields.Count ? fields[i] : null;
                if (!string.IsNullOrWhiteSpace(value) && !(phone && PiiNormalizer.IsWithheldCaller(value!))) return false;
            }
            return true;
        }

        /// <summary>Reads one identifier's columns: valid values into <paramref name="values"/> (distinct, capped), invalid ones kept for Report.</summary>
        /// <returns>Whether any column holds a valid value.</returns>
        private bool Collect(PiiField field, int[] columns, IReadOnlyList<string?> fields, ParsedRow parsed, List<string> values, List<RowIssue> issues)
        {
            bool valid = false;
            int leftOut = 0, lastColumn = -1;
            // Values are compared after normalization ('+1 (212) 555-0101' and '2125550101' are one number), so with several
            // columns they are hashed even when the caller only checks.
            bool hash = _parsed != null || columns.Length > 1;
            foreach (int column in columns)
            {
                string value = column < fields.Count && !TooLong(column) ? fields[column] ?? string.Empty : string.Empty;
                if (value.Trim().Length == 0) continue;
                var result = Check(field, value, hash);
                if (result.IsInvalid)
                {
                    _invalid.Add((field, column, result));
                    continue;
                }
                if (!IsUsable(result)) continue;
                if (!valid)
                {
                    if (field == PiiField.Email) { parsed.Email = result; parsed.EmailColumn = column; }
                    else { parsed.Phone = result; parsed.PhoneColumn = column; }
                }
                valid = true;
                if (result.Value is not string key || values.Contains(key)) continue;
                if (values.Count < MaxValuesPerIdentifier) values.Add(key);
                else
                {
                    leftOut++;
                    lastColumn = column;
                }
            }
            if (leftOut > 0)
            {
                string name = field.ToString().ToLowerInvariant();
                issues.Add(new RowIssue(RuleIds.IdentifiersLeftOut, Severity.Warning, _map.Headers[lastColumn],
                    Want(RuleIds.IdentifiersLeftOut) ? $"{name} has {MaxValuesPerIdentifier + leftOut} distinct valid values: the first {MaxValuesPerIdentifier} are sent, {leftOut} left out (one customer rarely has more: a broken join?)" : string.Empty));
            }
            return valid;
        }

        private static bool IsUsable(PiiResult r) => r.Outcome != PiiOutcome.Blank && !r.IsInvalid;

        private PiiResult Check(PiiField field, string value, bool hash)
        {
            string? region = null;
            if (_region >= 0 && field == PiiField.Phone && _regionField is string r && r.Trim().Length > 0) region = r.Trim();
            return hash ? _options.Pii.Normalize(field, value, region) : _options.Pii.Validate(field, value, region);
        }

        private void Report(PiiField field, int column, PiiResult result, bool anyValid, ref int errors, List<RowIssue> issues)
        {
            var severity = anyValid ? Severity.Warning : Severity.Error;
            bool describe = Want(anyValid ? result.Rule! + WarningKey : result.Rule!);
            string name = field.ToString().ToLowerInvariant();
            string message = !describe ? string.Empty
                : anyValid ? $"{name} {result.Masked} {result.Reason}: left out, the row is sent with its other identifier"
                : $"{name} {result.Masked} {result.Reason}";
            issues.Add(new RowIssue(result.Rule!, severity, _map.Headers[column], message));
            if (severity == Severity.Error) errors++;
        }

        // Not a delegate: Validate runs for every row, and a delegate over its locals would be allocated each time.
        /// <param name="text">The timestamp, or the date of a timestamp in two columns.</param>
        /// <param name="timeOfDay">The time of a timestamp in two columns (null for one column).</param>
        /// <param name="zoneName">The row's time_zone (empty when none).</param>
        /// <param name="issues">Receives the issues.</param>
        /// <param name="errors">Counts the errors.</param>
        private void CheckTimestamp(string text, string? timeOfDay, string zoneName, List<RowIssue> issues, ref int errors)
        {
            int column = _timestamp >= 0 ? _timestamp : _date;
            string name = _timestamp >= 0 ? OfflineEventColumns.Timestamp : timeOfDay != null ? "date and time" : OfflineEventColumns.Date;
            if (text.Trim().Length == 0 || (timeOfDay != null && timeOfDay.Trim().Length == 0))
            {
                bool timeMissing = text.Trim().Length > 0;
                AddTo(issues, ref errors, RuleIds.TimestampMissing, Severity.Error, timeMissing ? _time : column,
                    Want(RuleIds.TimestampMissing) ? (timeMissing ? OfflineEventColumns.Time : _timestamp >= 0 ? name : OfflineEventColumns.Date) + " is empty" : string.Empty);
                return;
            }
            // Two columns are read as one value, the date, a space, the time (what -TimestampFormat describes).
            if (timeOfDay != null) text = text.Trim() + " " + timeOfDay.Trim();
            TimeZoneInfo? zone = _options.TimeZone;
            if (zoneName.Trim().Length > 0)
            {
                if (!TimeZoneNames.TryFind(zoneName, out zone))
                {
                    AddTo(issues, ref errors, RuleIds.TimeZoneUnknown, Severity.Error, _timeZone,
                        Want(RuleIds.TimeZoneUnknown) ? $"time_zone '{Shorten(zoneName)}' is not a time zone name: use {TimeZoneNames.Examples}" : string.Empty);
                    return;
                }
            }
            var kind = ValueRules.TryParseTimestamp(text, zone, _options.TimestampFormats, out var when, out string reason, out var dst);
            if (kind == ValueRules.TimestampKind.Invalid)
            {
                AddTo(issues, ref errors, RuleIds.TimestampInvalid, Severity.Error, column,
                    Want(RuleIds.TimestampInvalid) ? $"{name} '{Shorten(text)}' {reason}" : string.Empty);
                return;
            }
            if (kind == ValueRules.TimestampKind.OutOfRange || when < _options.Earliest)
            {
                AddTo(issues, ref errors, RuleIds.TimestampOutOfRange, Severity.Error, column,
                    Want(RuleIds.TimestampOutOfRange)
                        ? $"{name} '{Shorten(text)}' " + (kind == ValueRules.TimestampKind.OutOfRange ? reason
                            : $"is before {_options.Earliest.UtcDateTime:yyyy-MM-dd} ({when.UtcDateTime:yyyy-MM-dd HH:mm} UTC): TikTok refuses such times (a placeholder date?)")
                        : string.Empty);
                return;
            }
            if (_parsed != null) _parsed.Time = when;
            if (kind == ValueRules.TimestampKind.NoOffset && zone == null)
            {
                AddTo(issues, ref errors, RuleIds.TimestampNoOffset, Severity.Warning, column,
                    Want(RuleIds.TimestampNoOffset) ? $"{name} '{Shorten(text)}' has no UTC offset and is read as UTC; add Z or an offset, or give -TimeZone or a time_zone column" : string.Empty);
            }
            if (dst == DstAdjustment.MovedForward)
            {
                AddTo(issues, ref errors, RuleIds.TimestampDstGap, Severity.Warning, column,
                    Want(RuleIds.TimestampDstGap) ? $"{name} '{Shorten(text)}' does not exist in time zone {zone!.Id} (the clocks skip it): read as {when:yyyy-MM-dd HH:mm zzz}, moved forward by the gap" : string.Empty);
            }
            else if (dst == DstAdjustment.FirstOccurrence)
            {
                AddTo(issues, ref errors, RuleIds.TimestampDstOverlap, Severity.Warning, column,
                    Want(RuleIds.TimestampDstOverlap) ? $"{name} '{Shorten(text)}' happens twice in time zone {zone!.Id} (the clocks fall back): read as the first, {when:yyyy-MM-dd HH:mm zzz}" : string.Empty);
            }
            if (when > _options.Now + _options.FutureTolerance)
            {
                AddTo(issues, ref errors, RuleIds.TimestampFuture, Severity.Error, column,
                    Want(RuleIds.TimestampFuture) ? $"{name} '{Shorten(text)}' is in the future ({when.UtcDateTime:yyyy-MM-dd HH:mm} UTC)" : string.Empty);
            }
            else if (when < _options.Now - _options.MaxAge)
            {
                AddTo(issues, ref errors, RuleIds.TimestampTooOld, Severity.Warning, column,
                    Want(RuleIds.TimestampTooOld) ? $"{name} '{Shorten(text)}' is more than {_options.MaxAge.TotalDays:0} days old: TikTok will not attribute it" : string.Empty);
            }
        }

        private void AddTo(List<RowIssue> issues, ref int errors, string rule, Severity severity, int column, string message)
        {
            issues.Add(new RowIssue(rule, severity, column >= 0 && column < _map.Headers.Count ? _map.Headers[column] : string.Empty, message));
            if (severity == Severity.Error) errors++;
        }

        /// <summary>A value as a message quotes it: masked when it looks like PII (in any column), at most 40 characters.</summary>
        private static string Shorten(string value)
        {
            string s = PiiMask.InMessage(value.Trim());
            return s.Length <= 40 ? s : s.Substring(0, 37) + "...";
        }

        private static string Printable(char c) => c == '\t' ? "\\t" : c == '\r' ? "\\r" : c.ToString();
    }
}
