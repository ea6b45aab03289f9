using System;
using System.Collections.Generic;
using System.Linq;

namespace OfflineEvents.Core.Rules
{
    /// <summary>A column map that cannot be used: a field it names does not exist, or a column it names is not in the input.</summary>
    public sealed class ColumnMapException : ArgumentException
    {
        public ColumnMapException(string message, string field, string? column) : base(message)
        {
            Field = field;
            Column = column;
        }

        /// <summary>The field as the map names it.</summary>
        public string Field { get; }

        /// <summary>The column the map names that the input does not have; null when the field itself is the problem.</summary>
        public string? Column { get; }

        /// <summary>Whether the input lacks a column the map names (else the map itself is wrong).</summary>
        public bool IsMissingColumn => Column != null;

        internal static ColumnMapException UnknownField(string key)
        {
            string? near = Closest(ColumnAliases.Fold(key), ColumnMapping.Fields, ColumnAliases.Fold);
            return new ColumnMapException(
                $"-ColumnMap names the field '{key}', which is not one the module reads" + (near != null ? $": did you mean '{near}'?" : ".")
                + $" The fields: {string.Join(", ", ColumnMapping.Fields)}.", key, null);
        }

        internal static ColumnMapException MissingColumn(string field, string column, IReadOnlyList<string> headers)
        {
            string wanted = column.Trim().ToLowerInvariant();
            // A header that holds the name, or that the name holds ('Created' for 'Created at'), is the likeliest meant.
            string? near = headers.FirstOrDefault(h => wanted.Length >= 3 && h != null && (h.ToLowerInvariant().Contains(wanted) || wanted.Contains(h.Trim().ToLowerInvariant())) && h.Trim().Length >= 3)
                ?? Closest(wanted, headers, h => (h ?? string.Empty).Trim().ToLowerInvariant());
            return new ColumnMapException(
                $"-ColumnMap takes {field} from the column '{Pii.PiiMask.InMessage(column)}', which the input does not have"
                + (near != null ? $": did you mean '{Pii.PiiMask.InMessage(near)}'?" : ".")
                + $" Its columns: {string.Join(", ", headers.Select(h => "'" + Pii.PiiMask.InMessage(h ?? string.Empty) + "'"))}.", field, column);
        }

        /// <summary>
        /// The candidate closest to a name, when it is close enough to be a typo: at most one edit per four characters
        /// and at most two, a swap of neighbours counting one ('Emial'). Unrelated names that merely share letters
        /// ('Customer Name', 'Tax') stay unflagged.
        /// </summary>
        internal static string? Closest(string name, IEnumerable<string> candidates, Func<string, string> key)
        {
            if (name.Length == 0) return null;
            string? best = null;
            int bestDistance = int.MaxValue;
            foreach (string candidate in candidates)
            {
                int d = Distance(name, key(candidate));
                if (d < bestDistance)
                {
                    bestDistance = d;
                    best = candidate;
                }
            }
            return bestDistance <= Math.Min(2, Math.Max(1, name.Length / 4)) ? best : null;
        }

        /// <summary>Edit distance with adjacent swaps (optimal string alignment).</summary>
        private static int Distance(string a, string b)
        {
            var d = new int[a.Length + 1, b.Length + 1];
            for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
            for (int j = 0; j <= b.Length; j++) d[0, j] = j;
            for (int i = 1; i <= a.Length; i++)
            {
                for (int j = 1; j <= b.Length; j++)
                {
                    int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                    if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
            return d[a.Length, b.Length];
        }
    }
}
