using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace OfflineEvents.Sandbox;

/// <summary>The ways a request can be made to fail.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FaultKind>))]
public enum FaultKind
{
    /// <summary>HTTP 200 with a non-zero TikTok code (e.g. 40100, 50000).</summary>
    Api,
    /// <summary>A raw HTTP status (e.g. 503) with an HTML body, as a gateway answers; or with <see cref="FaultRule.Body"/>
    /// and <see cref="FaultRule.Location"/> (a 500 claiming {"code":0}, a 307 to another origin).</summary>
    Http,
    /// <summary>Wait, then process the request normally: the client has usually given up by then.</summary>
    Delay,
    /// <summary>Abort the connection without an answer.</summary>
    Reset,
}

/// <summary>One scripted fault: applies to the next <see cref="Times"/> matching requests.</summary>
public sealed class FaultRule
{
    public FaultKind Kind { get; set; }
    public int Code { get; set; } = 50000;
    public int Status { get; set; } = 503;
    public int DelayMs { get; set; } = 5000;
    public int Times { get; set; } = 1;
    /// <summary>When above 0, the rule fails every matching request for this long from the first one it fails (an outage
    /// of a given length, whatever the client's concurrency), instead of <see cref="Times"/> requests.</summary>
    public int DurationMs { get; set; }
    /// <summary>Http only: the body instead of the gateway page. <c>{token}</c> is replaced by the request's Access-Token
    /// header (a server that echoes secrets), <c>{request_id}</c> by the request id.</summary>
    public string? Body { get; set; }
    /// <summary>Http only: a Location header (a redirect).</summary>
    public string? Location { get; set; }
    internal long UntilTicks;
    /// <summary>Only requests whose API path contains this (e.g. "event/track"); empty matches all.</summary>
    public string Path { get; set; } = "";
}

/// <summary>Body of POST /sandbox/faults: a script run in order, then random faults at <see cref="RandomRate"/>.</summary>
public sealed class FaultPlan
{
    public List<FaultRule> Rules { get; set; } = new();
    public double RandomRate { get; set; }
    /// <summary>The faults random injection picks from, uniformly.</summary>
    public List<FaultRule> RandomFaults { get; set; } = new();
    public string RandomPath { get; set; } = "";
    public int? Seed { get; set; }
    /// <summary>Events whose properties.order_id starts with this fail validation (40002, named "data.N"): bad events
    /// that the module's own rules let through, for tests of how a client isolates them.</summary>
    public string? RefuseOrderIdPrefix { get; set; }
}

/// <summary>Decides, per API request, whether and how to fail it.</summary>
public sealed class FaultInjector
{
    private readonly object _gate = new();
    private readonly Queue<FaultRule> _script = new();
    private double _randomRate;
    private List<FaultRule> _randomFaults = new();
    private string _randomPath = "";
    private Random _random;

    public FaultInjector(int seed) => _random = new Random(seed);

    public void Load(FaultPlan plan)
    {
        lock (_gate)
        {
            _script.Clear();
            foreach (var rule in plan.Rules)
            {
                rule.UntilTicks = 0;
                if (rule.Times > 0 || rule.DurationMs > 0) _script.Enqueue(rule);
            }
            _randomRate = Math.Clamp(plan.RandomRate, 0, 1);
            _randomFaults = plan.RandomFaults;
            _randomPath = plan.RandomPath ?? "";
            if (plan.Seed.HasValue) _random = new Random(plan.Seed.Value);
            RefuseOrderIdPrefix = plan.RefuseOrderIdPrefix;
        }
    }

    public string? RefuseOrderIdPrefix { get; private set; }

    public void Clear() => Load(new FaultPlan());

    public FaultRule? Next(string apiPath)
    {
        lock (_gate)
        {
            while (_script.Count > 0 && _script.Peek().DurationMs > 0 && _script.Peek().UntilTicks > 0 && Environment.TickCount64 >= _script.Peek().UntilTicks)
            {
                _script.Dequeue();
            }
            if (_script.Count > 0)
            {
                var head = _script.Peek();
                if (head.DurationMs > 0)
                {
                    if (!apiPath.Contains(head.Path, StringComparison.OrdinalIgnoreCase)) return null;
                    if (head.UntilTicks == 0) head.UntilTicks = Environment.TickCount64 + head.DurationMs;
                    return head;
                }
                if (apiPath.Contains(head.Path, StringComparison.OrdinalIgnoreCase))
                {
                    if (--head.Times <= 0) _script.Dequeue();
                    return head;
                }
            }
            if (_randomRate > 0 && _randomFaults.Count > 0
                && apiPath.Contains(_randomPath, StringComparison.OrdinalIgnoreCase)
                && _random.NextDouble() < _randomRate)
            {
                return _randomFaults[_random.Next(_randomFaults.Count)];
            }
            return null;
        }
    }
}

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
