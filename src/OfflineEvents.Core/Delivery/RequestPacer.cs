using System;
using System.Diagnostics;
using System.Threading.Tasks;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>Spaces requests evenly to stay under a requests-per-second cap (0 = no cap).</summary>
    internal sealed class RequestPacer
    {
        private readonly long _intervalTicks;
        private readonly object _gate = new object();
        private long _next;

        public RequestPacer(double requestsPerSecond)
        {
            _intervalTicks = requestsPerSecond > 0 ? (long)(Stopwatch.Frequency / requestsPerSecond) : 0;
        }

        public Task WaitAsync()
        {
            if (_intervalTicks == 0) return Task.CompletedTask;
            long now = Stopwatch.GetTimestamp(), slot;
            lock (_gate)
            {
                slot = Math.Max(now, _next);
                _next = slot + _intervalTicks;
            }
            long wait = slot - now;
            return wait <= 0 ? Task.CompletedTask : Task.Delay(TimeSpan.FromSeconds(wait / (double)Stopwatch.Frequency));
        }
    }
}
