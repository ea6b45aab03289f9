using System;
using System.Collections.Generic;

namespace OfflineEvents.Sandbox;

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
