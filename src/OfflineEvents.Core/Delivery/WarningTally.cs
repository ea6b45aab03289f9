using System;
using System.Collections.Generic;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>
    /// Warnings of rows that still go (a timestamp too old to be attributed, one without an offset): counted
    /// per rule, with one example each, so a run reports each condition once instead of once per row.
    /// Used on the merging thread only.
    /// </summary>
    internal sealed class WarningTally
    {
        private readonly RuleCounts _counts = new RuleCounts();
        private readonly Dictionary<string, (string Where, string Message)> _examples = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        private readonly Func<string, bool> _counted;

        /// <param name="counted">Which rules to count (an export drops FormulaCell: it escapes those cells).</param>
        public WarningTally(Func<string, bool>? counted = null) => _counted = counted ?? (_ => true);

        /// <summary>Counts the row's warnings and lets go of them: the row may wait in a batch a while yet.</summary>
        public void Add(PreparedEvent row)
        {
            if (row.Warnings == null) return;
            foreach (var w in row.Warnings)
            {
                if (!_counted(w.RuleId)) continue;
                _counts.Add(w.RuleId);
                // Messages are formatted for one row per rule only (EventPreparer): keep the first that has one.
                if (w.Message.Length > 0 && !_examples.ContainsKey(w.RuleId)) _examples[w.RuleId] = (Where(row), w.Message);
            }
            row.Warnings = null;
        }

        /// <summary>Counts a warning that is about an event rather than one row (an order's lines in two currencies).</summary>
        public void Add(string rule, string where, string message)
        {
            _counts.Add(rule);
            if (!_examples.ContainsKey(rule)) _examples[rule] = (where, message);
        }

        public IReadOnlyDictionary<string, long> Counts() => _counts.Snapshot();

        public IEnumerable<(string RuleId, long Count, string Where, string Message)> Examples()
        {
            foreach (var c in _counts.Entries)
            {
                var (where, message) = _examples.TryGetValue(c.Key, out var example) ? example : ("a row", "(no example kept)");
                yield return (c.Key, c.Value, where, message);
            }
        }

        /// <summary>"file: row 12 (line 13)", or "Row 12" for pipeline input.</summary>
        public static string Where(PreparedEvent row) =>
            (row.Source == null ? "Row " : $"{row.Source}: row ") + row.Row.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)
            + (row.Line > 0 ? $" (line {row.Line:N0})" : string.Empty);
    }
}
