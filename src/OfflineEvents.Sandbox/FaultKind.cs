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
