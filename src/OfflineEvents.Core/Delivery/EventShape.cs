using System.Collections.Generic;
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
        }

        public IReadOnlyList<string> Headers { get; }

        public ColumnMap Map { get; }

        /// <summary>Required columns that are missing (event_type unless the rules give a default, timestamp, and email or phone).</summary>
        public IReadOnlyList<string> MissingRequired(RowRuleOptions rules) => Map.MissingRequired(rules.DefaultEventType != null);

        /// <summary>
        /// The row's values with every PII column replaced by its hash, or by a masked form when it cannot be
        /// normalized: what reject files and error records may carry.
        /// </summary>
        /// <param name="fields">The row as read.</param>
        /// <param name="normalizer">Normalizes the PII columns whose result is not known yet.</param>
        /// <param name="email">The email column's result when the rules already worked it out (else Blank).</param>
        /// <param name="phone">The phone column's result when the rules already worked it out (else Blank).</param>
        public string?[] SafeFields(IReadOnlyList<string?> fields, PiiNormalizer normalizer, PiiResult email = default, PiiResult phone = default)
        {
            var safe = new string?[Headers.Count];
            // Any column may hold an email or a phone (a row shifted by an unquoted comma): masked wherever it is.
            for (int i = 0; i < safe.Length; i++) safe[i] = i < fields.Count && fields[i] is string value ? PiiMask.InMessage(value) : null;
            int emailColumn = Map[OfflineEventColumns.Email], phoneColumn = Map[OfflineEventColumns.Phone];
            foreach (var (index, field) in _piiColumns)
            {
                if (index >= fields.Count || string.IsNullOrWhiteSpace(fields[index])) continue;
                var known = index == emailColumn ? email : index == phoneColumn ? phone : default;
                var result = known.Outcome != PiiOutcome.Blank ? known : normalizer.Normalize(field, fields[index]);
                safe[index] = result.IsInvalid ? result.Masked : result.Value;
            }
            return safe;
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
