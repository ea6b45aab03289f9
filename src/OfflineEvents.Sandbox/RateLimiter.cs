using System;
using System.Collections.Generic;

namespace OfflineEvents.Sandbox;

/// <summary>Per-token token bucket; an empty bucket answers 40100 as upstream does.</summary>
public sealed class RateLimiter
{
    private readonly object _gate = new();
    private readonly Dictionary<string, (double Tokens, long Stamp)> _buckets = new(StringComparer.Ordinal);
    private readonly double _perSecond;
    private readonly int _burst;

    public RateLimiter(double perSecond, int burst)
    {
        _perSecond = perSecond;
        _burst = Math.Max(1, burst);
    }

    public bool TryAcquire(string key)
    {
        if (_perSecond <= 0) return true;
        lock (_gate)
        {
            long now = System.Diagnostics.Stopwatch.GetTimestamp();
            var (tokens, stamp) = _buckets.TryGetValue(key, out var b) ? b : (_burst, now);
            double elapsed = (now - stamp) / (double)System.Diagnostics.Stopwatch.Frequency;
            tokens = Math.Min(_burst, tokens + elapsed * _perSecond);
            bool ok = tokens >= 1;
            if (ok) tokens -= 1;
            _buckets[key] = (tokens, now);
            return ok;
        }
    }
}
