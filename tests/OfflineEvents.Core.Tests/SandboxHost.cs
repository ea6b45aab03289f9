using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Security;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using OfflineEvents.Core.Api;
using OfflineEvents.Sandbox;
using Xunit;

namespace OfflineEvents.Core.Tests;

/// <summary>A real sandbox server on a free loopback port, one per test class.</summary>
public class SandboxHost : IAsyncLifetime
{
    private readonly string[] _settings;

    public SandboxHost() : this("--Sandbox:RateLimitPerSecond=0")
    {
    }

    protected SandboxHost(params string[] settings) => _settings = settings;

    public const string Token = "test-token-5c1f0e8a9b7d";
    public const string ExpiredToken = "expired-token-77aa";
    public const string Advertiser = "7000000000000000001";

    private WebApplication? _app;
    private readonly HttpClient _admin = new();

    public Uri BaseUri { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var args = new List<string>
        {
            "--urls", "http://127.0.0.1:0",
            "--Sandbox:Tokens:0=" + Token,
            "--Sandbox:ExpiredTokens:0=" + ExpiredToken,
            "--Sandbox:Advertisers:0=" + Advertiser,
        };
        args.AddRange(_settings);
        _app = SandboxServer.Build(args.ToArray());
        await _app.StartAsync();
        BaseUri = new Uri(SandboxServer.BoundAddress(_app));
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        if (_app != null) await _app.DisposeAsync();
    }

    public ApiConnection Connection(string? token = null, int maxRetries = 3, double timeoutSeconds = 2, int baseDelayMs = 10, int maxDelayMs = 100) =>
        new(Advertiser, AccessToken.FromPlainText(token ?? Token), BaseUri,
            new RetrySettings(TimeSpan.FromSeconds(timeoutSeconds), maxRetries, TimeSpan.FromMilliseconds(baseDelayMs), TimeSpan.FromMilliseconds(maxDelayMs)));

    public async Task FaultsAsync(object plan)
    {
        var response = await _admin.PostAsync(new Uri(BaseUri, "/sandbox/faults"),
            new StringContent(JsonSerializer.Serialize(plan), Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }

    public async Task<JsonElement> StatsAsync() =>
        JsonDocument.Parse(await _admin.GetStringAsync(new Uri(BaseUri, "/sandbox/stats"))).RootElement.Clone();

    public async Task<long> RequestsAsync() => (await StatsAsync()).GetProperty("requests").GetInt64();

    public async Task<JsonElement[]> LedgerAsync(string setId) =>
        JsonDocument.Parse(await _admin.GetStringAsync(new Uri(BaseUri, "/sandbox/ledger?event_set_id=" + setId)))
            .RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();

    public async Task ResetAsync() => (await _admin.PostAsync(new Uri(BaseUri, "/sandbox/reset"), null)).EnsureSuccessStatusCode();
}

/// <summary>A sandbox whose rate limit allows a burst of 2 and refills at 20 requests a second.</summary>
public sealed class RateLimitedSandboxHost : SandboxHost
{
    public RateLimitedSandboxHost() : base("--Sandbox:RateLimitPerSecond=20", "--Sandbox:RateLimitBurst=2")
    {
    }
}

/// <summary>A sandbox whose batch errors name no event, so a client has to find bad events by halving.</summary>
public sealed class AnonymousErrorsSandboxHost : SandboxHost
{
    public AnonymousErrorsSandboxHost() : base("--Sandbox:RateLimitPerSecond=0", "--Sandbox:NameBadEvents=false")
    {
    }
}
