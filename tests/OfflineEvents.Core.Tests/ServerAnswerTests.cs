using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using OfflineEvents.Core.Api;
using OfflineEvents.Core.EventSets;
using Xunit;

namespace OfflineEvents.Core.Tests;

/// <summary>
/// What the client makes of answers a real server may give besides TikTok's envelope on HTTP 200: error statuses
/// with a success body, redirects, a malformed envelope, strings that echo the token. Against the sandbox over HTTP.
/// </summary>
public class ServerAnswerTests : IClassFixture<SandboxHost>
{
    private readonly SandboxHost _sandbox;

    public ServerAnswerTests(SandboxHost sandbox) => _sandbox = sandbox;

    private static object Http(int status, string? body = null, string? location = null, int times = 1, string path = "offline/get") =>
        new { kind = "Http", status, body, location, times, path };

    private async Task<(TikTokApiException Error, long Requests)> FailingListAsync(ApiConnection connection)
    {
        long before = await _sandbox.RequestsAsync();
        using var client = new BusinessApiClient(connection);
        var error = await Assert.ThrowsAsync<TikTokApiException>(() => new EventSetClient(client).GetAsync(null, null, CancellationToken.None));
        return (error, await _sandbox.RequestsAsync() - before);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task An_HTTP_error_status_is_never_success_even_with_a_code_0_body(int status)
    {
        await _sandbox.FaultsAsync(new { rules = new[] { Http(status, "{\"code\":0,\"message\":\"OK\",\"request_id\":\"{request_id}\",\"data\":{}}", times: 5) } });
        var (error, requests) = await FailingListAsync(_sandbox.Connection(maxRetries: 1));
        Assert.Equal(ApiErrorKind.ServerError, error.Kind);
        Assert.Equal(status, error.HttpStatus);
        Assert.Equal(2, requests);
        Assert.Contains($"HTTP {status}", error.Message);
        Assert.Contains("code 0", error.Message);
        await _sandbox.FaultsAsync(new { });
    }

    [Fact]
    public async Task A_code_that_is_not_a_number_is_a_clear_protocol_error()
    {
        await _sandbox.FaultsAsync(new { rules = new[] { Http(200, "{\"code\":\"0\",\"message\":\"OK\",\"request_id\":\"{request_id}\",\"data\":{}}") } });
        var (error, requests) = await FailingListAsync(_sandbox.Connection());
        Assert.Equal(ApiErrorKind.Protocol, error.Kind);
        Assert.Equal(1, requests);
        Assert.Contains("malformed", error.Message);
        Assert.Contains("\"code\" is the string \"0\"", error.Message);
        Assert.False(string.IsNullOrEmpty(error.RequestId));
        Assert.Contains(error.RequestId!, error.Message);
        Assert.DoesNotContain("Number", error.Message);
    }

    [Fact]
    public async Task A_malformed_code_is_quoted_without_its_control_characters()
    {
        // A string "code" is quoted in the error: a line break in it must not reach a message or a transcript as one.
        await _sandbox.FaultsAsync(new { rules = new[] { Http(200, "{\"code\":\"0\\nE\\u0007x\",\"message\":\"OK\",\"request_id\":\"{request_id}\"}") } });
        var (error, _) = await FailingListAsync(_sandbox.Connection());
        Assert.Equal(ApiErrorKind.Protocol, error.Kind);
        Assert.Contains("\"code\" is the string \"0 E x\"", error.Message);
        Assert.DoesNotContain(error.Message, char.IsControl);
    }

    /// <summary>A loopback listener that records every request head it gets and answers with a TikTok success.</summary>
    private sealed class RecordingListener : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        public readonly ConcurrentQueue<string> Heads = new();

        public RecordingListener()
        {
            _listener.Start();
            _ = Task.Run(AcceptAsync);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        private async Task AcceptAsync()
        {
            while (true)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(); }
                catch (Exception) { return; }
                using (client)
                {
                    var stream = client.GetStream();
                    var buffer = new byte[16384];
                    var head = new StringBuilder();
                    while (!head.ToString().Contains("\r\n\r\n"))
                    {
                        int n = await stream.ReadAsync(buffer);
                        if (n == 0) break;
                        head.Append(Encoding.ASCII.GetString(buffer, 0, n));
                    }
                    Heads.Enqueue(head.ToString());
                    byte[] body = Encoding.UTF8.GetBytes("{\"code\":0,\"message\":\"OK\",\"request_id\":\"elsewhere\",\"data\":{\"event_set_list\":[]}}");
                    byte[] answer = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
                    await stream.WriteAsync(answer);
                    await stream.WriteAsync(body);
                }
            }
        }

        public void Dispose() => _listener.Stop();
    }

    [Theory]
    [InlineData(307)]
    [InlineData(302)]
    public async Task Redirects_are_not_followed_so_the_token_goes_nowhere_else(int status)
    {
        using var elsewhere = new RecordingListener();
        string location = $"http://127.0.0.1:{elsewhere.Port}/open_api/v1.3/offline/get/?secret=q-{Guid.NewGuid():N}";
        await _sandbox.FaultsAsync(new { rules = new[] { Http(status, location: location) } });
        var (error, requests) = await FailingListAsync(_sandbox.Connection());
        Assert.Equal(ApiErrorKind.Protocol, error.Kind);
        Assert.False(error.IsRetryable);
        Assert.Equal(1, requests);
        Assert.Contains($"HTTP {status}", error.Message);
        Assert.Contains($"http://127.0.0.1:{elsewhere.Port}", error.Message);
        Assert.DoesNotContain("secret", error.Message);
        await Task.Delay(200);
        Assert.Empty(elsewhere.Heads);
    }

    [Fact]
    public async Task Server_strings_that_echo_the_token_are_scrubbed_in_answers_and_errors()
    {
        const string echo = "{\"code\":CODE,\"message\":\"bad token {token}\",\"request_id\":\"req-{token}\\nE\\tforged\",\"data\":{\"note\":\"{token}\"}}";
        await _sandbox.FaultsAsync(new { rules = new[] { Http(200, echo.Replace("CODE", "0")), Http(200, echo.Replace("CODE", "40001")) } });
        using var client = new BusinessApiClient(_sandbox.Connection());
        var ok = await client.GetAsync("offline/get/", new[] { new System.Collections.Generic.KeyValuePair<string, string>("advertiser_id", SandboxHost.Advertiser) }, CancellationToken.None);
        Assert.DoesNotContain(SandboxHost.Token, ok.RequestId);
        Assert.DoesNotContain(SandboxHost.Token, ok.Message);
        Assert.DoesNotContain(SandboxHost.Token, ok.Data.GetRawText());
        Assert.StartsWith("req-********", ok.RequestId);
        Assert.DoesNotContain(ok.RequestId, char.IsControl);

        var error = await Assert.ThrowsAsync<TikTokApiException>(() => new EventSetClient(client).GetAsync(null, null, CancellationToken.None));
        Assert.Equal(40001, error.Code);
        Assert.DoesNotContain(SandboxHost.Token, error.Message);
        Assert.DoesNotContain(SandboxHost.Token, error.RequestId);
        Assert.DoesNotContain(SandboxHost.Token, error.ApiMessage);
        Assert.DoesNotContain(error.RequestId!, char.IsControl);
        Assert.DoesNotContain(error.Message, c => c == '\n' || c == '\t');
    }
}
