using System;
using System.Collections.Generic;
using System.Linq;

namespace OfflineEvents.Core.Rules
{
    /// <summary>
    /// A user's column map (-ColumnMap): which source columns feed which field. A mapped field takes exactly the
    /// columns named (detection does not add others); a field mapped to no column is not read at all; fields the
    /// map does not mention are still detected by name (<see cref="ColumnAliases"/>).
    /// </summary>
    public sealed class ColumnMapping
    {
        private readonly List<(string Field, IReadOnlyList<string> Columns)> _entries = new List<(string, IReadOnlyList<string>)>();
        private readonly HashSet<string> _fields = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>Every field a map may name: TikTok's upload columns and the ones the module reads besides.</summary>
        public static IReadOnlyList<string> Fields { get; } = OfflineEventColumns.All.Concat(new[]
        {
            OfflineEventColumns.ExternalId, OfflineEventColumns.EventId, OfflineEventColumns.Date, OfflineEventColumns.Time,
            OfflineEventColumns.TimeZone, OfflineEventColumns.Region, OfflineEventColumns.ProductName,
        }).ToArray();

        /// <summary>The fields one event may take from several columns (the API takes arrays of them).</summary>
        public static bool TakesSeveralColumns(string field) =>
            field == OfflineEventColumns.Email || field == OfflineEventColumns.Phone || field == OfflineEventColumns.ExternalId;

        /// <param name="entries">Field name (any case; 'Order ID' and 'order_id' are one) to the source column names, or none for "no column".</param>
        /// <exception cref="ColumnMapException">A field that is not one of <see cref="Fields"/>, or several columns for a field that takes one.</exception>
        public ColumnMapping(IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> entries)
        {
            foreach (var entry in entries)
            {
                string field = ToField(entry.Key) ?? throw ColumnMapException.UnknownField(entry.Key);
                if (!_fields.Add(field)) throw new ColumnMapException($"-ColumnMap names the field {field} twice ('{entry.Key}').", field, null);
                var columns = (entry.Value ?? Array.Empty<string>()).Where(c => !string.IsNullOrWhiteSpace(c)).ToArray();
                if (columns.Length > 1 && !TakesSeveralColumns(field))
                {
                    throw new ColumnMapException(
                        $"-ColumnMap gives {field} {columns.Length} columns ({string.Join(", ", columns.Select(c => "'" + c + "'"))}); only email, phone and external_id take several. Name one column.", field, null);
                }
                _entries.Add((field, columns));
            }
        }

        /// <summary>The map's fields and their columns, in the order given; an empty list means the field has no column.</summary>
        public IReadOnlyList<(string Field, IReadOnlyList<string> Columns)> Entries => _entries;

        /// <summary>Whether the map says where this field comes from (a column, several, or none).</summary>
        public bool Mentions(string field) => _fields.Contains(field);

        /// <summary>The field a map key names: its exact name, or the same letters and digits in any case ('Order ID').</summary>
        public static string? ToField(string? key)
        {
            if (key == null) return null;
            string folded = ColumnAliases.Fold(key);
            return Fields.FirstOrDefault(f => ColumnAliases.Fold(f) == folded);
        }

        /// <summary>Where a column a user named is in a header: the exact name first, then ignoring case, then ignoring case and outer spaces; -1 when absent.</summary>
        public static int FindHeader(IReadOnlyList<string> headers, string wanted)
        {
            for (int i = 0; i < headers.Count; i++)
            {
                if (string.Equals(headers[i], wanted, StringComparison.Ordinal)) return i;
            }
            for (int i = 0; i < headers.Count; i++)
            {
                if (string.Equals(headers[i], wanted, StringComparison.OrdinalIgnoreCase)) return i;
            }
            for (int i = 0; i < headers.Count; i++)
            {
                if (string.Equals((headers[i] ?? string.Empty).Trim(), wanted.Trim(), StringComparison.OrdinalIgnoreCase)) return i;
            }
            return -1;
        }
    }
}
