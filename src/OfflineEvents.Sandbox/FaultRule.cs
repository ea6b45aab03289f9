namespace OfflineEvents.Sandbox;

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
