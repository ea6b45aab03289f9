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
        public string?[] SafeFields(IReadOnlyList<string?> fields, PiiNormalizer normalizer)
        {
            var safe = new string?[Headers.Count];
            for (int i = 0; i < safe.Length; i++) safe[i] = i < fields.Count ? fields[i] : null;
            foreach (var (index, field) in _piiColumns)
            {
                if (index >= fields.Count || string.IsNullOrWhiteSpace(fields[index])) continue;
                var result = normalizer.Normalize(field, fields[index]);
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
