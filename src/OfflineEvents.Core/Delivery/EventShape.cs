using System.Collections.Generic;
using System.Linq;
using OfflineEvents.Core.Pii;
using OfflineEvents.Core.Rules;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>
    /// The columns of one kind of input row (a file's header, or a pipeline object's property names): where
    /// each standard column is, under the usual spellings, and which columns hold PII and must never be
    /// written out in plain text.
    /// </summary>
    public sealed class EventShape
    {
        private readonly (int Index, PiiField Field)[] _piiColumns;
        private readonly bool[] _read;
        private readonly bool[] _idColumn;

        public EventShape(IReadOnlyList<string> headers)
        {
            Headers = headers;
            Map = new ColumnMap(headers, ColumnMatching.Aliases);
            var pii = new List<(int, PiiField)>();
            for (int i = 0; i < headers.Count; i++)
            {
                if (ColumnAliases.TryResolvePii(headers[i], out var field)) pii.Add((i, field));
            }
            _piiColumns = pii.ToArray();
            var read = new List<(int Index, string Column)>();
            foreach (string column in OfflineEventColumns.All.Concat(new[] { OfflineEventColumns.ExternalId, OfflineEventColumns.EventId }).Concat(OfflineEventColumns.TimeParts))
            {
                if (Map[column] >= 0) read.Add((Map[column], column));
            }
            read.Sort((a, b) => a.Index.CompareTo(b.Index));
            ReadColumns = read;
            _read = new bool[headers.Count];
            foreach (var (index, _) in read) _read[index] = true;
            _idColumn = new bool[headers.Count];
            foreach (string column in new[] { OfflineEventColumns.OrderId, OfflineEventColumns.ProductId, OfflineEventColumns.StoreId, OfflineEventColumns.EventId })
            {
                if (Map[column] >= 0) _idColumn[Map[column]] = true;
            }
        }

        public IReadOnlyList<string> Headers { get; }

        public ColumnMap Map { get; }

        /// <summary>
        /// The columns the module reads (where each is in the header, and its standard name), in header order: what a
        /// reject carries unless every column is asked for. Other columns (names, notes, a second phone column) are not read.
        /// </summary>
        public IReadOnlyList<(int Index, string Column)> ReadColumns { get; }

        /// <summary>Required columns that are missing (event_type unless the rules give a default, timestamp, and email or phone).</summary>
        public IReadOnlyList<string> MissingRequired(RowRuleOptions rules) => Map.MissingRequired(rules.DefaultEventType != null);

        /// <summary>
        /// The row's values with every PII column replaced by its hash, or by a masked form when it cannot be
        /// normalized: what reject files and error records may carry. Only the columns the module reads
        /// (<see cref="ReadColumns"/>) have a value, the others are null, unless <paramref name="allColumns"/>.
        /// </summary>
        /// <param name="fields">The row as read.</param>
        /// <param name="normalizer">Normalizes the PII columns whose result is not known yet.</param>
        /// <param name="email">The email column's result when the rules already worked it out (else Blank).</param>
        /// <param name="phone">The phone column's result when the rules already worked it out (else Blank).</param>
        /// <param name="allColumns">Also the columns the module does not read, as they are (-RejectColumn All).</param>
        public string?[] SafeFields(IReadOnlyList<string?> fields, PiiNormalizer normalizer, PiiResult email = default, PiiResult phone = default, bool allColumns = false)
        {
            var safe = new string?[Headers.Count];
            for (int i = 0; i < safe.Length; i++)
            {
                if (i >= fields.Count || !(fields[i] is string value)) continue;
                // Unread columns: left out, or with -RejectColumn All copied as they are (documented as plain text).
                if (!_read[i]) safe[i] = allColumns ? value : null;
                // A read column may hold an email or a phone (a row shifted by an unquoted comma): masked. A plain
                // run of digits in an id column that is no valid phone number of the default region is an id (a
                // 13-digit order number), kept so a fixed reject file sends the same order id and event id again.
                else safe[i] = _idColumn[i] && IsDigits(value) && normalizer.DefaultRegion != null
                    && normalizer.Validate(PiiField.Phone, value).IsInvalid ? value : PiiMask.InMessage(value);
            }
            int emailColumn = Map[OfflineEventColumns.Email], phoneColumn = Map[OfflineEventColumns.Phone];
            foreach (var (index, field) in _piiColumns)
            {
                if (!allColumns && !_read[index]) continue;
                if (index >= fields.Count || string.IsNullOrWhiteSpace(fields[index])) continue;
                var known = index == emailColumn ? email : index == phoneColumn ? phone : default;
                var result = known.Outcome != PiiOutcome.Blank ? known : normalizer.Normalize(field, fields[index]);
                safe[index] = result.IsInvalid ? result.Masked : result.Value;
            }
            return safe;
        }

        private static bool IsDigits(string value)
        {
            foreach (char c in value)
            {
                if (c < '0' || c > '9') return false;
            }
            return value.Length > 0;
        }

        /// <summary>Whether two shapes have the same headers (pipeline objects usually share one).</summary>
        public bool SameHeaders(IReadOnlyList<string> headers)
        {
            if (headers.Count != Headers.Count) return false;
            for (int i = 0; i < headers.Count; i++)
            {
                if (!string.Equals(headers[i], Headers[i], System.StringComparison.Ordinal)) return false;
            }
            return true;
        }
    }
}
