using System;
using System.Text.Json.Nodes;
using System.Threading;
using Microsoft.AspNetCore.Http;

namespace OfflineEvents.Sandbox;

/// <summary>TikTok's response envelope. Errors travel with HTTP 200 and a non-zero code, as upstream.</summary>
internal static class ApiEnvelope
{
    private static long s_requestCounter;

    public static string NewRequestId() =>
        DateTime.UtcNow.ToString("yyyyMMddHHmmss") + Interlocked.Increment(ref s_requestCounter).ToString("D10");

    public static IResult Ok(string requestId, JsonNode? data = null) => Build(0, "OK", requestId, data ?? new JsonObject());

    public static IResult Error(int code, string message, string requestId) => Build(code, message, requestId, new JsonObject());

    private static IResult Build(int code, string message, string requestId, JsonNode data)
    {
        var body = new JsonObject
        {
            ["code"] = code,
            ["message"] = message,
            ["request_id"] = requestId,
            ["data"] = data,
        };
        return Results.Text(body.ToJsonString(), "application/json", statusCode: StatusCodes.Status200OK);
    }
}
