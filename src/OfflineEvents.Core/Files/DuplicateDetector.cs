using OfflineEvents.Core.Rules;

namespace OfflineEvents.Core.Files
{
    /// <summary>Same order_id + event + product_id seen before; 64-bit keys keep memory bounded.</summary>
    internal sealed class DuplicateDetector
    {
        private readonly int _order, _event, _product;
        private readonly FirstRowTable _seen;

        public DuplicateDetector(ColumnMap map, int max)
        {
            _order = map[OfflineEventColumns.OrderId];
            _event = map[OfflineEventColumns.EventType];
            _product = map[OfflineEventColumns.ProductId];
            _seen = new FirstRowTable(max);
        }

        public bool Saturated { get; private set; }

        /// <summary>Whether the row repeats an earlier one; <paramref name="row"/> is the number a later repeat names.</summary>
        public bool IsDuplicate(string?[] fields, long row, out long firstRow)
        {
            firstRow = 0;
            string order = _order >= 0 ? (fields[_order] ?? string.Empty).Trim() : string.Empty;
            if (order.Length == 0) return false;
            string eventName = _event >= 0 ? EventNames.ToApiName(fields[_event]) ?? (fields[_event] ?? string.Empty).Trim() : string.Empty;
            string product = _product >= 0 ? (fields[_product] ?? string.Empty).Trim() : string.Empty;
            ulong key = Fnv(order, Fnv(eventName, Fnv(product, 14695981039346656037UL)));
            switch (_seen.TryRemember(key, row, out firstRow))
            {
                case FirstRowTable.Remembered.Found:
                    return true;
                case FirstRowTable.Remembered.Full:
                    Saturated = true;
                    return false;
                default:
                    return false;
            }
        }

        private static ulong Fnv(string s, ulong hash)
        {
            foreach (char c in s)
            {
                hash = (hash ^ c) * 1099511628211UL;
            }
            return (hash ^ 0xFF) * 1099511628211UL; // field separator
        }
    }
}
