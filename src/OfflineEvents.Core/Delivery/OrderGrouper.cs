using System;
using System.Collections.Generic;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>
    /// Collects the lines of orders (same event, store and order id) on the feeding thread, in a window of open
    /// orders: lines need not be adjacent, and memory stays bounded whatever the input's size. When a new order would
    /// open one more than <see cref="DeliveryOptions.OrderWindow"/>, the oldest is closed (sent as it is); everything
    /// still open closes at the end of the run.
    /// </summary>
    internal sealed class OrderGrouper
    {
        private readonly Dictionary<string, List<PreparedEvent>> _open = new Dictionary<string, List<PreparedEvent>>(StringComparer.Ordinal);
        private readonly Queue<string> _opened = new Queue<string>();
        private readonly int _window;
        private readonly Action<List<PreparedEvent>, bool> _close;

        /// <param name="window">Orders open at once.</param>
        /// <param name="close">Receives an order's lines, in input order, and whether it closed before the input ended.</param>
        public OrderGrouper(int window, Action<List<PreparedEvent>, bool> close)
        {
            _window = window;
            _close = close;
        }

        /// <summary>Adds a line to its open order; false when its order is not open (the caller decides whether to open it).</summary>
        public bool TryAdd(PreparedEvent line)
        {
            if (!_open.TryGetValue(line.GroupKey!, out var lines)) return false;
            lines.Add(line);
            return true;
        }

        /// <summary>Opens the line's order, closing the oldest when the window is full.</summary>
        public void Open(PreparedEvent line)
        {
            _open[line.GroupKey!] = new List<PreparedEvent> { line };
            _opened.Enqueue(line.GroupKey!);
            if (_open.Count <= _window) return;
            string oldest = _opened.Dequeue();
            var lines = _open[oldest];
            _open.Remove(oldest);
            _close(lines, true);
        }

        /// <summary>Closes every open order, oldest first.</summary>
        public void CloseAll()
        {
            while (_opened.Count > 0)
            {
                string key = _opened.Dequeue();
                var lines = _open[key];
                _open.Remove(key);
                _close(lines, false);
            }
        }
    }
}
