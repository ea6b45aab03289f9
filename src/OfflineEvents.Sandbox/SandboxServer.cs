using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OfflineEvents.Sandbox;

/// <summary>
/// A loopback server that speaks the part of TikTok's Business API this module uses
/// (see shared/tiktok-offline-api.md), plus admin routes under /sandbox/ for tests:
/// GET ledger and stats, POST faults and reset.
/// </summary>
public static class SandboxServer
{
    private const string ApiPrefix = "/open_api/v1.3/";

    /// <summary>Builds the app; <c>--urls http://127.0.0.1:0</c> picks a free port.</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.ClearProviders();
        var options = builder.Configuration.GetSection("Sandbox").Get<SandboxOptions>() ?? new SandboxOptions();
        if (builder.Configuration.GetSection("Sandbox:Tokens").Exists())
        {
            // Configuration binding appends to list defaults; a configured list replaces them.
            options.Tokens = builder.Configuration.GetSection("Sandbox:Tokens").Get<List<string>>() ?? new();
        }
        if (builder.Configuration.GetSection("Sandbox:Advertisers").Exists())
        {
            options.Advertisers = builder.Configuration.GetSection("Sandbox:Advertisers").Get<List<string>>() ?? new();
        }
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new SandboxState(options.Seed));
        builder.Services.AddSingleton(new FaultInjector(options.Seed));
        builder.Services.AddSingleton(new RateLimiter(options.RateLimitPerSecond, options.RateLimitBurst));

        var app = builder.Build();
        app.Use(GuardApiAsync);
        MapEventSets(app);
        MapTrack(app);
        MapAdmin(app);
        return app;
    }

    /// <summary>The address Kestrel bound, after <c>StartAsync</c>.</summary>
    public static string BoundAddress(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    // Faults first (a gateway fails before auth), then auth, then the rate limit, as upstream.
    private static async Task GuardApiAsync(HttpContext context, Func<Task> next)
    {
        string path = context.Request.Path.Value ?? "";
        if (!path.StartsWith("/open_api/", StringComparison.Ordinal))
        {
            await next();
            return;
        }
        var services = context.RequestServices;
        var state = services.GetRequiredService<SandboxState>();
        var options = services.GetRequiredService<SandboxOptions>();
        System.Threading.Interlocked.Increment(ref state.Requests);
        context.Items["request_id"] = ApiEnvelope.NewRequestId();

        var fault = services.GetRequiredService<FaultInjector>().Next(path);
        if (fault != null)
        {
            System.Threading.Interlocked.Increment(ref state.FaultsInjected);
            switch (fault.Kind)
            {
                case FaultKind.Api:
                    await ApiEnvelope.Error(fault.Code, "Injected fault", RequestId(context)).ExecuteAsync(context);
                    return;
                case FaultKind.Http:
                    context.Response.StatusCode = fault.Status;
                    if (fault.Location != null) context.Response.Headers.Location = fault.Location;
                    if (fault.Body != null)
                    {
                        context.Response.ContentType = fault.Body.TrimStart().StartsWith('{') ? "application/json" : "text/plain";
                        await context.Response.WriteAsync(fault.Body
                            .Replace("{token}", context.Request.Headers["Access-Token"].ToString(), StringComparison.Ordinal)
                            .Replace("{request_id}", RequestId(context), StringComparison.Ordinal));
                        return;
                    }
                    context.Response.ContentType = "text/html";
                    await context.Response.WriteAsync($"<html><head><title>{fault.Status}</title></head><body><h1>{fault.Status} Service Unavailable</h1><p>upstream gateway</p></body></html>");
                    return;
                case FaultKind.Reset:
                    context.Abort();
                    return;
                case FaultKind.Delay:
                    // Read the request first: upstream has it once it arrived, even if the client stops waiting.
                    context.Request.EnableBuffering();
                    await context.Request.Body.CopyToAsync(System.IO.Stream.Null);
                    context.Request.Body.Position = 0;
                    try
                    {
                        await Task.Delay(fault.DelayMs, context.RequestAborted);
                    }
                    catch (OperationCanceledException)
                    {
                        // The client gave up; upstream would still process what it received.
                    }
                    break;
            }
        }

        if (!context.Request.Headers.TryGetValue("Access-Token", out var tokenValues) || string.IsNullOrEmpty(tokenValues.ToString()))
        {
            await ApiEnvelope.Error(40104, "Access token is null or empty.", RequestId(context)).ExecuteAsync(context);
            return;
        }
        string token = tokenValues.ToString();
        if (options.ExpiredTokens.Contains(token))
        {
            await ApiEnvelope.Error(40102, "Access token has expired.", RequestId(context)).ExecuteAsync(context);
            return;
        }
        if (!options.Tokens.Contains(token))
        {
            await ApiEnvelope.Error(40105, "Access token is incorrect or has been revoked.", RequestId(context)).ExecuteAsync(context);
            return;
        }
        if (!services.GetRequiredService<RateLimiter>().TryAcquire(token))
        {
            System.Threading.Interlocked.Increment(ref state.RateLimited);
            await ApiEnvelope.Error(40100, "Too many requests. Please retry in some time.", RequestId(context)).ExecuteAsync(context);
            return;
        }
        await next();
    }

    private static string RequestId(HttpContext context) => (string)context.Items["request_id"]!;

    private static void MapEventSets(WebApplication app)
    {
        app.MapPost(ApiPrefix + "offline/create/", async (HttpContext ctx, SandboxState state, SandboxOptions options) =>
        {
            var (body, error) = await ReadBodyAsync(ctx);
            if (error != null) return error;
            if (CheckAdvertiser(ctx, body!, options, out var advertiser) is { } denied) return denied;
            var name = body!["name"]?.GetValue<string>();
            if (string.IsNullOrWhiteSpace(name) || name.Length > 128)
            {
                return ApiEnvelope.Error(40002, "name: Length must be between 1 and 128.", RequestId(ctx));
            }
            var description = body["description"]?.GetValue<string>() ?? "";
            bool autoTracking = body["auto_tracking"]?.GetValue<bool>() ?? false;
            var set = state.CreateSet(advertiser, name, description, autoTracking);
            return ApiEnvelope.Ok(RequestId(ctx), new JsonObject { ["event_set_id"] = set.EventSetId });
        });

        app.MapGet(ApiPrefix + "offline/get/", (HttpContext ctx, SandboxState state, SandboxOptions options) =>
        {
            string advertiser = ctx.Request.Query["advertiser_id"].ToString();
            if (CheckAdvertiserId(ctx, advertiser, options) is { } denied) return denied;
            IEnumerable<StoredEventSet> sets = state.ListSets(advertiser);
            string idsText = ctx.Request.Query["event_set_ids"].ToString();
            if (idsText.Length > 0)
            {
                string[]? ids;
                try
                {
                    ids = JsonSerializer.Deserialize<string[]>(idsText);
                }
                catch (JsonException)
                {
                    return ApiEnvelope.Error(40002, "event_set_ids: Not a valid list.", RequestId(ctx));
                }
                var wanted = new HashSet<string>(ids ?? Array.Empty<string>(), StringComparer.Ordinal);
                sets = sets.Where(s => wanted.Contains(s.EventSetId));
            }
            string name = ctx.Request.Query["name"].ToString();
            if (name.Length > 0)
            {
                sets = sets.Where(s => s.Name.Contains(name, StringComparison.OrdinalIgnoreCase));
            }
            var list = new JsonArray(sets.Select(s => (JsonNode)s.ToJson()).ToArray());
            return ApiEnvelope.Ok(RequestId(ctx), new JsonObject { ["event_set_list"] = list });
        });

        app.MapPost(ApiPrefix + "offline/update/", async (HttpContext ctx, SandboxState state, SandboxOptions options) =>
        {
            var (body, error) = await ReadBodyAsync(ctx);
            if (error != null) return error;
            if (CheckAdvertiser(ctx, body!, options, out var advertiser) is { } denied) return denied;
            var id = body!["event_set_id"]?.GetValue<string>() ?? "";
            var name = body["name"]?.GetValue<string>();
            if (name != null && (name.Trim().Length == 0 || name.Length > 128))
            {
                return ApiEnvelope.Error(40002, "name: Length must be between 1 and 128.", RequestId(ctx));
            }
            var set = state.Update(advertiser, id, name, body["auto_tracking"]?.GetValue<bool>());
            return set == null
                ? ApiEnvelope.Error(40007, $"Offline event set {id} does not exist.", RequestId(ctx))
                : ApiEnvelope.Ok(RequestId(ctx), set.ToJson());
        });

        app.MapPost(ApiPrefix + "offline/delete/", async (HttpContext ctx, SandboxState state, SandboxOptions options) =>
        {
            var (body, error) = await ReadBodyAsync(ctx);
            if (error != null) return error;
            if (CheckAdvertiser(ctx, body!, options, out var advertiser) is { } denied) return denied;
            var id = body!["event_set_id"]?.GetValue<string>() ?? "";
            return state.Delete(advertiser, id)
                ? ApiEnvelope.Ok(RequestId(ctx))
                : ApiEnvelope.Error(40007, $"Offline event set {id} does not exist.", RequestId(ctx));
        });

        // Events API 1.0 is retired upstream.
        app.MapPost(ApiPrefix + "offline/track/", (HttpContext ctx) => ApiEnvelope.Error(41001, "This interface is offline.", RequestId(ctx)));
        app.MapPost(ApiPrefix + "offline/batch/", (HttpContext ctx) => ApiEnvelope.Error(41001, "This interface is offline.", RequestId(ctx)));
    }

    private static void MapTrack(WebApplication app)
    {
        app.MapPost(ApiPrefix + "event/track/", async (HttpContext ctx, SandboxState state, SandboxOptions options, FaultInjector faults) =>
        {
            System.Threading.Interlocked.Increment(ref state.TrackRequests);
            JsonDocument document;
            try
            {
                document = await JsonDocument.ParseAsync(ctx.Request.Body);
            }
            catch (JsonException)
            {
                return ApiEnvelope.Error(40002, "Request body is not valid JSON.", RequestId(ctx));
            }
            // Disposed when done, so its buffers go back to the pool: the ledger keeps copies of the events.
            using (document)
            {
                var problem = EventValidator.Validate(document.RootElement, options.MaxBatchSize, options.StrictPii, out var setId, out var events, options.PartnerNames);
                if (problem == null && state.FindSet(setId) == null)
                {
                    problem = (40002, $"event_source_id: offline event set {setId} does not exist");
                }
                if (problem == null && faults.RefuseOrderIdPrefix is { Length: > 0 } refused)
                {
                    problem = RefuseOrders(events, refused);
                }
                if (problem is { } p)
                {
                    if (!options.NameBadEvents && p.Message.StartsWith("data.", StringComparison.Ordinal))
                    {
                        p = (p.Code, "data: one or more events are invalid");
                    }
                    else if (options.ItemErrorPrefix != "data")
                    {
                        p = (p.Code, System.Text.RegularExpressions.Regex.Replace(p.Message, @"\bdata\.(\d+)", options.ItemErrorPrefix + ".$1"));
                    }
                    System.Threading.Interlocked.Increment(ref state.BatchesRejected);
                    return ApiEnvelope.Error(p.Code, p.Message, RequestId(ctx));
                }
                // The ledger shows each event's own test_event_code (where offline senders put it), else the request's.
                string? testCode = document.RootElement.TryGetProperty("test_event_code"u8, out var code) && code.ValueKind == JsonValueKind.String ? code.GetString() : null;
                state.Accept(setId, events, RequestId(ctx), testCode);
                return ApiEnvelope.Ok(RequestId(ctx));
            }
        });
    }

    /// <summary>A fault plan's RefuseOrderIdPrefix: events of those orders fail validation, named as TikTok names them.</summary>
    private static (int Code, string Message)? RefuseOrders(List<JsonElement> events, string prefix)
    {
        var problems = new List<string>();
        for (int i = 0; i < events.Count && problems.Count < 20; i++)
        {
            if (events[i].TryGetProperty("properties"u8, out var p) && p.ValueKind == JsonValueKind.Object
                && p.TryGetProperty("order_id"u8, out var order) && order.ValueKind == JsonValueKind.String
                && order.GetString()!.StartsWith(prefix, StringComparison.Ordinal))
            {
                problems.Add($"data.{i}.properties.order_id: Invalid value");
            }
        }
        return problems.Count == 0 ? null : (40002, string.Join("; ", problems));
    }

    private static void MapAdmin(WebApplication app)
    {
        app.MapGet("/sandbox/health", () => Results.Text("ok"));
        // ids_only=true returns just the event ids (a 200,000-event ledger is too big to fetch whole).
        app.MapGet("/sandbox/ledger", (string? event_set_id, bool? ids_only, SandboxState state) =>
        {
            if (ids_only == true)
            {
                return Results.Text(new JsonArray(state.Ledger(event_set_id).Select(l => (JsonNode?)l.EventId).ToArray()).ToJsonString(), "application/json");
            }
            var entries = state.Ledger(event_set_id).Select(l => new JsonObject
            {
                ["event_set_id"] = l.EventSetId,
                ["event"] = l.Event,
                ["event_id"] = l.EventId,
                ["event_time"] = l.EventTime,
                ["request_id"] = l.RequestId,
                ["payload"] = JsonNode.Parse(l.Payload),
                ["test_event_code"] = l.TestEventCode,
            });
            return Results.Text(new JsonArray(entries.Select(e => (JsonNode)e).ToArray()).ToJsonString(), "application/json");
        });
        app.MapGet("/sandbox/stats", (SandboxState s) => Results.Json(new
        {
            requests = s.Requests,
            track_requests = s.TrackRequests,
            events_accepted = s.EventsAccepted,
            events_deduplicated = s.EventsDeduplicated,
            batches_rejected = s.BatchesRejected,
            faults_injected = s.FaultsInjected,
            rate_limited = s.RateLimited,
        }));
        app.MapPost("/sandbox/faults", async (HttpContext ctx, FaultInjector faults) =>
        {
            var plan = await JsonSerializer.DeserializeAsync<FaultPlan>(ctx.Request.Body, JsonOptions);
            faults.Load(plan ?? new FaultPlan());
            return Results.Text("ok");
        });
        app.MapDelete("/sandbox/faults", (FaultInjector faults) =>
        {
            faults.Clear();
            return Results.Text("ok");
        });
        app.MapPost("/sandbox/reset", (SandboxState state, FaultInjector faults) =>
        {
            state.Reset();
            faults.Clear();
            return Results.Text("ok");
        });
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    private static async Task<(JsonObject? Body, IResult? Error)> ReadBodyAsync(HttpContext ctx)
    {
        try
        {
            var node = await JsonNode.ParseAsync(ctx.Request.Body);
            return node is JsonObject o ? (o, null) : (null, ApiEnvelope.Error(40002, "Request body must be a JSON object.", RequestId(ctx)));
        }
        catch (JsonException)
        {
            return (null, ApiEnvelope.Error(40002, "Request body is not valid JSON.", RequestId(ctx)));
        }
    }

    private static IResult? CheckAdvertiser(HttpContext ctx, JsonObject body, SandboxOptions options, out string advertiser)
    {
        advertiser = body["advertiser_id"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
        return CheckAdvertiserId(ctx, advertiser, options);
    }

    private static IResult? CheckAdvertiserId(HttpContext ctx, string advertiser, SandboxOptions options)
    {
        if (advertiser.Length == 0)
        {
            return ApiEnvelope.Error(40002, "advertiser_id: Missing data for required field.", RequestId(ctx));
        }
        return options.Advertisers.Contains(advertiser)
            ? null
            : ApiEnvelope.Error(40001, $"No permission to operate advertiser {advertiser}.", RequestId(ctx));
    }
}
