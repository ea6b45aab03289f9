using System;
using System.Collections.Generic;
using System.Linq;
using System.IO;
using System.Text.Json;
using OfflineEvents.Core.Pii;
using OfflineEvents.Core.Rules;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>
    /// Turns input rows into Events API 2.0 events (UTF-8 JSON) or manual-upload records: the shared row rules
    /// decide what is an error (so Send-OfflineEvent and Export-OfflineEventFile reject exactly what
    /// Test-OfflineEventFile calls one), and PII is hashed with the shared normalizer. One instance per thread.
    /// </summary>
    internal sealed class EventPreparer
    {
        private readonly EventShape _shape;
        private readonly DeliveryOptions _options;
        private readonly EventRowValidator _validator;
        private readonly ParsedRow _parsed = new ParsedRow();
        private readonly List<RowIssue> _issues = new List<RowIssue>();
        private Files.UploadLineBuffer? _lines;
        private readonly int _orderId, _productId, _productCategory, _storeId, _eventId, _transactionCategory, _productName;
        private readonly int[] _externalIds;
        private readonly List<string> _externalValues = new List<string>(2);

        // Warnings are counted per row but shown once per rule: a message is formatted only for the first
        // row (per run) that has one. Errors are always described: every rejected row is reported.
        private static readonly HashSet<string> WarningRules = new HashSet<string>(StringComparer.Ordinal)
        {
            RuleIds.TimestampNoOffset, RuleIds.TimestampTooOld, RuleIds.FormulaCell, RuleIds.CurrencyUnsupported,
            RuleIds.TimestampDstGap, RuleIds.TimestampDstOverlap, RuleIds.IdentifiersLeftOut,
        };

        private readonly Func<string, bool> _describe;
        private readonly bool _fromRejectFile;

        public EventPreparer(EventShape shape, DeliveryOptions options, System.Collections.Concurrent.ConcurrentDictionary<string, bool> describedWarnings)
        {
            bool rejects = options.Rows.DescribeRejects;
            // ContainsKey first: it reads without a lock, and TryAdd locks even when the key is there, which on the
            // rows of a file that all share a warning had the workers queueing (a tenth of an export's CPU).
            _describe = rule => WarningRules.Contains(rule) || rule.EndsWith(EventRowValidator.WarningKey, StringComparison.Ordinal) ? !describedWarnings.ContainsKey(rule) && describedWarnings.TryAdd(rule, true) : rejects;
            _shape = shape;
            _options = options;
            _validator = new EventRowValidator(shape.Map, options.Rows);
            _orderId = shape.Map[OfflineEventColumns.OrderId];
            _productId = shape.Map[OfflineEventColumns.ProductId];
            _productCategory = shape.Map[OfflineEventColumns.ProductCategory];
            _storeId = shape.Map[OfflineEventColumns.StoreId];
            _externalIds = shape.Map.Indexes(OfflineEventColumns.ExternalId).ToArray();
            _eventId = shape.Map[OfflineEventColumns.EventId];
            _transactionCategory = shape.Map[OfflineEventColumns.TransactionCategory];
            _productName = shape.Map[OfflineEventColumns.ProductName];
            // Lines sent again from a reject file are the rest of an order whose good lines went before: an id of their own.
            _fromRejectFile = shape.Headers.Contains("source_row") && shape.Headers.Contains("rule_id");
        }

        /// <param name="row">The row; receives its errors, warnings, event id and JSON or manual-upload line.</param>
        /// <param name="json">True for an Events API event (Json), false for a manual-upload line (Line).</param>
        public void Prepare(PreparedEvent row, bool json)
        {
            var fields = row.Fields!;
            _issues.Clear();
            int errors = _validator.Validate(fields, _issues, _describe, _parsed);
            if (_validator.Skipped)
            {
                row.Skipped = true;
                return;
            }

            ReadExternalIds(fields);
            if (errors > 0)
            {
                row.Errors = _issues.FindAll(i => i.Severity == Severity.Error);
                // What the rules worked out for the identifier's first column (SafeFields reads the others itself).
                row.SetRejectedIdentity(_parsed.EmailColumn == _shape.Map[OfflineEventColumns.Email] ? _parsed.Email : default,
                    _parsed.PhoneColumn == _shape.Map[OfflineEventColumns.Phone] ? _parsed.Phone : default);
                return;
            }
            if (!json)
            {
                // TikTok's upload file has one email and one phone column: the first valid value of each is written.
                foreach (var (key, count) in new[] { ("email", _parsed.Emails.Count), ("phone", _parsed.Phones.Count) })
                {
                    if (count < 2) continue;
                    int column = key == "email" ? _parsed.EmailColumn : _parsed.PhoneColumn;
                    _issues.Add(new RowIssue(RuleIds.IdentifiersLeftOut, Severity.Warning, _shape.Headers[column],
                        _describe(RuleIds.IdentifiersLeftOut) ? $"{key} has {count} distinct valid values: the upload file takes one, so the first (column {_shape.Headers[column]}) is written and {count - 1} left out" : string.Empty));
                }
            }
            // A row without email or phone is counted as Unidentified, apart from the warnings.
            row.Unidentified = _issues.RemoveAll(i => i.RuleId == RuleIds.IdentityMissing) > 0;
            if (_issues.Count > 0) row.Warnings = new List<RowIssue>(_issues);

            long time = _parsed.Time!.Value.ToUnixTimeSeconds();
            string name = _parsed.EventName!;
            string orderId = Field(fields, _orderId).Trim();
            string productId = Field(fields, _productId).Trim();
            string productCategory = Field(fields, _productCategory).Trim();
            string storeId = Field(fields, _storeId).Trim();
            string givenId = Field(fields, _eventId).Trim();
            string? email = _parsed.Email.Value, phone = _parsed.Phone.Value, external = _externalValues.Count > 0 ? _externalValues[0] : null;

            row.EventName = name;
            row.EventTime = time;
            row.OrderId = orderId.Length > 0 ? orderId : null;

            if (!json)
            {
                // TikTok's upload needs email or phone on every row: an unidentified row is counted, not written.
                if (row.Unidentified) return;
                // Written on this worker in TikTok's column order (OfflineEventColumns.All), trimmed spans and all.
                var lines = _lines ??= new Files.UploadLineBuffer();
                var csv = lines.Writer;
                csv.WriteField(EventNames.ToDisplayName(name));
                csv.WriteField(email ?? string.Empty);
                csv.WriteField(phone ?? string.Empty);
                csv.WriteField(IsoUtc(_parsed.Time.Value.UtcDateTime));
                // The upload's price is the row's total (TikTok's template): with -PriceIs UnitPrice, price x quantity.
                decimal? total = _options.Rows.PriceIs == PriceMeaning.UnitPrice && _parsed.Price.HasValue ? _parsed.Price.Value * (_parsed.Quantity ?? 1) : _parsed.Price;
                csv.WriteField(total?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
                csv.WriteField(_parsed.Currency ?? string.Empty);
                csv.WriteField(Field(fields, _transactionCategory).AsSpan().Trim());
                csv.WriteField(orderId);
                csv.WriteField(_parsed.Quantity?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
                csv.WriteField(productId);
                csv.WriteField(productCategory);
                csv.WriteField(storeId);
                row.UploadLine = lines.EndLine();
                return;
            }

            var line = new OrderLine
            {
                ProductId = productId,
                ProductCategory = productCategory,
                ProductName = Field(fields, _productName).Trim(),
                StoreId = storeId,
                Currency = _parsed.Currency,
                Quantity = _parsed.Quantity,
                Emails = Values(_parsed.Emails),
                Phones = Values(_parsed.Phones),
                ExternalIds = Values(_externalValues),
                GivenEventId = givenId,
            };
            if (_parsed.Price.HasValue)
            {
                decimal price = _parsed.Price.Value;
                long quantity = _parsed.Quantity ?? 1;
                bool unit = _options.Rows.PriceIs == PriceMeaning.UnitPrice;
                line.Total = unit ? price * quantity : price;
                // TikTok's contents take the price of one item; 4 places keep cents exact when a total does not divide evenly.
                line.UnitPrice = unit || quantity <= 1 ? price : Math.Round(price / quantity, 4, MidpointRounding.AwayFromZero);
            }
            row.OrderLine = line;
            if (orderId.Length > 0 && _options.GroupBy == EventGrouping.Order)
            {
                // Its order's event is built on the feeding thread once every line has come (EventDelivery).
                row.GroupKey = name + "\n" + storeId + "\n" + orderId;
                row.EventId = givenId.Length > 0 ? givenId : EventIds.ForOrder(name, orderId, storeId, _fromRejectFile);
                return;
            }
            if (row.Unidentified) return;

            // The manual upload has no event id; the API needs one that is the same on every resend.
            row.EventId = givenId.Length > 0
                ? givenId
                : EventIds.Derive(name, time, orderId, productId, email, phone, external, _parsed.Price, _parsed.Quantity, storeId);
            _lineList[0] = line;
            row.Json = (_writer ??= new EventJsonWriter(_options)).Write(name, time, row.EventId, row.OrderId, storeId, line.Currency, _lineList);
        }

        private static string[] Values(IReadOnlyList<string> values) => values.Count == 0 ? Array.Empty<string>() : values.ToArray();

        /// <summary>Reads every external_id column: distinct valid values (hashed) into _externalValues, capped.</summary>
        private void ReadExternalIds(string?[] fields)
        {
            _externalValues.Clear();
            int leftOut = 0, lastColumn = -1;
            foreach (int column in _externalIds)
            {
                // An invalid one is the validator's error (EventRowValidator): it is only left out here.
                var result = _options.Rows.Pii.ExternalId(Field(fields, column));
                if (result.Value is string value && !_externalValues.Contains(value))
                {
                    if (_externalValues.Count < EventRowValidator.MaxValuesPerIdentifier) _externalValues.Add(value);
                    else
                    {
                        leftOut++;
                        lastColumn = column;
                    }
                }
            }
            if (leftOut > 0)
            {
                int max = EventRowValidator.MaxValuesPerIdentifier;
                _issues.Add(new RowIssue(RuleIds.IdentifiersLeftOut, Severity.Warning, _shape.Headers[lastColumn],
                    _describe(RuleIds.IdentifiersLeftOut) ? $"external_id has {max + leftOut} distinct valid values: the first {max} are sent, {leftOut} left out (one customer rarely has more: a broken join?)" : string.Empty));
            }
        }

        private EventJsonWriter? _writer;
        private readonly OrderLine[] _lineList = new OrderLine[1];

        private readonly char[] _iso = "0000-00-00T00:00:00.000Z".ToCharArray();

        /// <summary>yyyy-MM-ddTHH:mm:ss.fffZ without a format string: written for every row of an export.</summary>
        private ReadOnlySpan<char> IsoUtc(DateTime t)
        {
            void Put(int at, int value, int digits)
            {
                for (int i = at + digits - 1; i >= at; i--, value /= 10) _iso[i] = (char)('0' + value % 10);
            }
            Put(0, t.Year, 4);
            Put(5, t.Month, 2);
            Put(8, t.Day, 2);
            Put(11, t.Hour, 2);
            Put(14, t.Minute, 2);
            Put(17, t.Second, 2);
            Put(20, t.Millisecond, 3);
            return _iso;
        }

        private static string Field(string?[] fields, int i) => i >= 0 && i < fields.Length ? fields[i] ?? string.Empty : string.Empty;
    }
}
