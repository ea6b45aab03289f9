using System.Collections.Generic;

namespace OfflineEvents.Sandbox;

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
