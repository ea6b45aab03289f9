using System.Collections.Generic;
using OfflineEvents.Core.Rules;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>
    /// Counts rows refused because their event_type is no TikTok event, per shape, and warns once at the end when the
    /// column was only taken by its name (an export's own 'Event Type' of Payment and Refund). Feeding thread only.
    /// </summary>
    internal sealed class EventTypeHint
    {
        private readonly Dictionary<EventShape, long> _unknown = new Dictionary<EventShape, long>();

        public void Note(PreparedEvent row, IReadOnlyList<RowIssue> errors)
        {
            foreach (var issue in errors)
            {
                if (issue.RuleId != RuleIds.EventTypeUnknown) continue;
                _unknown.TryGetValue(row.Shape, out long n);
                _unknown[row.Shape] = n + 1;
                return;
            }
        }

        public void Report(Diagnostics.IOperationLog log, RowRuleOptions rules)
        {
            foreach (var entry in _unknown)
            {
                if (entry.Key.Map.EventTypeValuesHint(entry.Value, rules.EventTypeMap != null) is string hint) log.Warning("Note: " + hint + ".");
            }
        }
    }
}
