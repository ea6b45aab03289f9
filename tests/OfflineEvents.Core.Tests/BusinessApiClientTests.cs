using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OfflineEvents.Core.Api;
using OfflineEvents.Core.Diagnostics;
using OfflineEvents.Core.EventSets;
using Xunit;

namespace OfflineEvents.Core.Tests;

/// <summary>The client against the real sandbox over HTTP: retry decisions, errors, request ids.</summary>
public class BusinessApiClientTests : IClassFixture<SandboxHost>
{
    private readonly SandboxHost _sandbox;

    public BusinessApiClientTests(SandboxHost sandbox) => _sandbox = sandbox;

    private sealed class RecordingLog : IOperationLog
    {
        public List<string> Lines { get; } = new();
        public void Verbose(string message) { lock (Lines) Lines.Add(message); }
        public void Debug(string message) { lock (Lines) Lines.Add(message); }
        public void Warning(string message) { lock (Lines) Lines.Add(message); }
    }

    private async Task<(TikTokApiException Error, long Requests)> FailingListAsync(ApiConnection connection, IOperationLog? log = null)
    {
        long before = await _sandbox.RequestsAsync();
        using var client = new BusinessApiClient(connection, log);
        var error = await Assert.ThrowsAsync<TikTokApiException>(() => new EventSetClient(client).GetAsync(null, null, CancellationToken.None));
        return (error, await _sandbox.RequestsAsync() - before);
    }

    [Fact]
    public async Task A_request_without_a_token_gets_40104()
    {
        // AccessToken cannot be empty, so speak HTTP directly to see the sandbox's answer.
        using var http = new System.Net.Http.HttpClient();
        var body = await http.GetStringAsync(new Uri(_sandbox.BaseUri, "/open_api/v1.3/offline/get/?advertiser_id=" + SandboxHost.Advertiser));
        Assert.Contains("\"code\":40104", body);
    }

    [Theory]
    [InlineData("wrong-token", 40105)]
    [InlineData(SandboxHost.ExpiredToken, 40102)]
    public async Task Auth_errors_are_not_retried_and_name_the_request_id(string token, int code)
    {
        var connection = _sandbox.Connection(token);
        var (error, requests) = await FailingListAsync(connection);
        Assert.Equal(ApiErrorKind.Authentication, error.Kind);
        Assert.Equal(code, error.Code);
        Assert.Equal(1, requests);
        Assert.False(string.IsNullOrEmpty(error.RequestId));
        Assert.Contains(error.RequestId!, error.Message);
        Assert.DoesNotContain(token, error.ToString());
    }

    [Fact]
    public async Task Unknown_advertiser_is_permission_denied()
    {
        using var client = new BusinessApiClient(new ApiConnection("7999999999999999999", AccessToken.FromPlainText(SandboxHost.Token), _sandbox.BaseUri));
        var error = await Assert.ThrowsAsync<TikTokApiException>(() => new EventSetClient(client).GetAsync(null, null, CancellationToken.None));
        Assert.Equal(ApiErrorKind.PermissionDenied, error.Kind);
        Assert.Equal(40001, error.Code);
    }

    [Theory]
    [InlineData("Api", 40100)]
    [InlineData("Api", 50000)]
    [InlineData("Api", 51001)]
    [InlineData("Http", 503)]
    [InlineData("Reset", 0)]
    public async Task Retryable_failures_are_retried_until_success(string kind, int code)
    {
        await _sandbox.FaultsAsync(new { rules = new[] { new { kind, code, status = code, times = 2, path = "offline/get" } } });
        var log = new RecordingLog();
        using var client = new BusinessApiClient(_sandbox.Connection(maxRetries: 3), log);
        long before = await _sandbox.RequestsAsync();
        var sets = await new EventSetClient(client).GetAsync(null, null, CancellationToken.None);
        Assert.NotNull(sets);
        Assert.Equal(3, await _sandbox.RequestsAsync() - before);
        Assert.Equal(2, log.Lines.Count(l => l.StartsWith("Retry ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_delay_past_the_attempt_timeout_is_retried()
    {
        await _sandbox.FaultsAsync(new { rules = new[] { new { kind = "Delay", delayMs = 3000, times = 1, path = "offline/get" } } });
        using var client = new BusinessApiClient(_sandbox.Connection(maxRetries: 2, timeoutSeconds: 0.5));
        var started = DateTime.UtcNow;
        await new EventSetClient(client).GetAsync(null, null, CancellationToken.None);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2.5), "the client waited for the slow answer instead of timing out");
    }

    [Fact]
    public async Task Timeouts_exhausting_the_budget_end_as_Timeout()
    {
        await _sandbox.FaultsAsync(new { rules = new[] { new { kind = "Delay", delayMs = 2000, times = 3, path = "offline/get" } } });
        var (error, _) = await FailingListAsync(_sandbox.Connection(maxRetries: 1, timeoutSeconds: 0.3));
        Assert.Equal(ApiErrorKind.Timeout, error.Kind);
        Assert.Equal(2, error.Attempts);
        await _sandbox.FaultsAsync(new { });
    }

    [Fact]
    public async Task Gateway_html_is_reduced_to_text_in_the_error()
    {
        await _sandbox.FaultsAsync(new { rules = new[] { new { kind = "Http", status = 502, times = 5, path = "offline/get" } } });
        var (error, requests) = await FailingListAsync(_sandbox.Connection(maxRetries: 2));
        Assert.Equal(ApiErrorKind.ServerError, error.Kind);
        Assert.Equal(502, error.HttpStatus);
        Assert.Equal(3, requests);
        Assert.Contains("HTTP 502", error.Message);
        Assert.Contains("Gave up after 3 attempts", error.Message);
        Assert.DoesNotContain("<", error.Message);
        await _sandbox.FaultsAsync(new { });
    }

    [Fact]
    public async Task Parameter_errors_are_not_retried()
    {
        await _sandbox.FaultsAsync(new { rules = new[] { new { kind = "Api", code = 40002, times = 1, path = "offline/get" } } });
        var (error, requests) = await FailingListAsync(_sandbox.Connection());
        Assert.Equal(ApiErrorKind.InvalidRequest, error.Kind);
        Assert.Equal(1, requests);
    }

    [Fact]
    public async Task Unreachable_server_fails_as_Transport_after_the_retry_budget()
    {
        var dead = new ApiConnection(SandboxHost.Advertiser, AccessToken.FromPlainText(SandboxHost.Token), new Uri("http://127.0.0.1:1/"),
            // A refused connection fails at once; the generous attempt timeout keeps a busy test machine from turning it into a Timeout.
            new RetrySettings(TimeSpan.FromSeconds(15), 2, TimeSpan.FromMilliseconds(5)));
        using var client = new BusinessApiClient(dead);
        var error = await Assert.ThrowsAsync<TikTokApiException>(() => new EventSetClient(client).GetAsync(null, null, CancellationToken.None));
        Assert.Equal(ApiErrorKind.Transport, error.Kind);
        Assert.Equal(3, error.Attempts);
        Assert.Contains("127.0.0.1:1", error.Message);
    }

    [Fact]
    public async Task Cancellation_stops_waiting_at_once()
    {
        await _sandbox.FaultsAsync(new { rules = new[] { new { kind = "Delay", delayMs = 5000, times = 1, path = "offline/get" } } });
        using var client = new BusinessApiClient(_sandbox.Connection(timeoutSeconds: 10));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new EventSetClient(client).GetAsync(null, null, cts.Token));
        await _sandbox.FaultsAsync(new { });
    }

    [Fact]
    public async Task Log_lines_never_carry_the_token()
    {
        await _sandbox.FaultsAsync(new { rules = new[] { new { kind = "Api", code = 40100, times = 1, path = "offline/get" } } });
        var log = new RecordingLog();
        using var client = new BusinessApiClient(_sandbox.Connection(), log);
        await new EventSetClient(client).GetAsync(null, null, CancellationToken.None);
        Assert.NotEmpty(log.Lines);
        Assert.All(log.Lines, l => Assert.DoesNotContain(SandboxHost.Token, l));
        Assert.Contains(log.Lines, l => l.Contains("request id"));
    }
}

public class RateLimitTests : IClassFixture<RateLimitedSandboxHost>
{
    private readonly SandboxHost _sandbox;

    public RateLimitTests(RateLimitedSandboxHost sandbox) => _sandbox = sandbox;

    [Fact]
    public async Task A_burst_past_the_limit_gets_40100_and_the_client_retries_through_it()
    {
        // 12 calls against a bucket of 2 refilled at 20/s need ~0.5 s of patience in all.
        using var client = new BusinessApiClient(_sandbox.Connection(maxRetries: 8, baseDelayMs: 50, maxDelayMs: 800));
        var sets = new EventSetClient(client);
        var calls = Enumerable.Range(0, 12).Select(_ => sets.GetAsync(null, null, CancellationToken.None)).ToArray();
        await Task.WhenAll(calls);
        var stats = await _sandbox.StatsAsync();
        Assert.True(stats.GetProperty("rate_limited").GetInt64() > 0, "the burst was never limited, so this proves nothing");
    }
}
