using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using OfflineEvents.Core.Diagnostics;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace OfflineEvents.Core.Api
{
    /// <summary>
    /// The one HTTP client for TikTok's Business API. Reads the envelope (API errors arrive with HTTP 200),
    /// retries only what can succeed later (shared doc §4) with exponential backoff and jitter, bounds each
    /// attempt with a timeout, and keeps the request id on every result and error.
    /// </summary>
    public sealed class BusinessApiClient : IDisposable
    {
        private static readonly string UserAgent = "OfflineEvents.PS/" + typeof(BusinessApiClient).Assembly.GetName().Version;

        private readonly HttpClient _http;
        private readonly ResiliencePipeline _pipeline;
        private readonly ApiConnection _connection;
        private readonly IOperationLog _log;

        public BusinessApiClient(ApiConnection connection, IOperationLog? log = null)
            : this(connection, log, new HttpClientHandler())
        {
        }

        internal BusinessApiClient(ApiConnection connection, IOperationLog? log, HttpMessageHandler handler)
        {
            _connection = connection ?? throw new ArgumentNullException(nameof(connection));
            _log = log ?? NullOperationLog.Instance;
            // Per-attempt timeouts come from the pipeline; the client itself must not cut a retry budget short.
            _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan, BaseAddress = connection.BaseUri };
            _pipeline = BuildPipeline(connection.Retry);
        }

        public ApiConnection Connection => _connection;

        public Task<ApiResponse> GetAsync(string path, IEnumerable<KeyValuePair<string, string>> query, CancellationToken cancellationToken)
        {
            string queryText = string.Join("&", query.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
            return SendAsync(HttpMethod.Get, queryText.Length == 0 ? path : path + "?" + queryText, path, null, cancellationToken);
        }

        public Task<ApiResponse> PostAsync(string path, byte[] jsonBody, CancellationToken cancellationToken) =>
            SendAsync(HttpMethod.Post, path, path, () => new ByteArrayContent(jsonBody), cancellationToken);

        /// <summary>
        /// Posts a JSON body that writes itself (a batch of events, say) instead of being copied into one array first.
        /// <paramref name="createBody"/> is called once per attempt: content is not reusable across requests.
        /// </summary>
        public Task<ApiResponse> PostAsync(string path, Func<HttpContent> createBody, CancellationToken cancellationToken) =>
            SendAsync(HttpMethod.Post, path, path, createBody ?? throw new ArgumentNullException(nameof(createBody)), cancellationToken);

        public Task<ApiResponse> PostAsync(string path, IDictionary<string, object?> body, CancellationToken cancellationToken) =>
            PostAsync(path, JsonSerializer.SerializeToUtf8Bytes(body), cancellationToken);

        private ResiliencePipeline BuildPipeline(RetrySettings settings)
        {
            var retry = new RetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(1, settings.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.BaseDelay,
                MaxDelay = settings.MaxDelay,
                ShouldHandle = args => new ValueTask<bool>(settings.MaxRetries > 0 && IsTransient(args.Outcome.Exception)),
                // Maintenance and blocklist throttling (60001, 61000) want a much longer pause than a blip.
                DelayGenerator = args =>
                {
                    if (args.Outcome.Exception is TikTokApiException { Kind: ApiErrorKind.Maintenance })
                    {
                        double seconds = Math.Min(settings.MaxDelay.TotalSeconds, settings.BaseDelay.TotalSeconds * 8 * Math.Pow(2, args.AttemptNumber));
                        return new ValueTask<TimeSpan?>(TimeSpan.FromSeconds(seconds));
                    }
                    return new ValueTask<TimeSpan?>((TimeSpan?)null);
                },
                OnRetry = args =>
                {
                    _log.Debug($"Retry {args.AttemptNumber + 1} of {settings.MaxRetries} in {args.RetryDelay.TotalSeconds:0.00} s after: {Describe(args.Outcome.Exception)}");
                    return default;
                },
            };
            return new ResiliencePipelineBuilder()
                .AddRetry(retry)
                .AddTimeout(settings.AttemptTimeout)
                .Build();
        }

        private static bool IsTransient(Exception? ex) =>
            ex is TimeoutRejectedException || (ex is TikTokApiException api && api.IsRetryable);

        private static string Describe(Exception? ex) => ex switch
        {
            TimeoutRejectedException t => $"no answer within {t.Timeout.TotalSeconds:0.#} s",
            null => "unknown failure",
            _ => ex.Message,
        };

        private async Task<ApiResponse> SendAsync(HttpMethod method, string relative, string displayPath, Func<HttpContent>? body, CancellationToken cancellationToken)
        {
            int attempts = 0;
            var clock = Stopwatch.StartNew();
            try
            {
                var response = await _pipeline.ExecuteAsync(
                    async token =>
                    {
                        attempts++;
                        return await SendOnceAsync(method, relative, displayPath, body, attempts, token).ConfigureAwait(false);
                    },
                    cancellationToken).ConfigureAwait(false);
                return new ApiResponse(response.Code, response.Message, response.RequestId, response.Data, response.HttpStatus, attempts, clock.Elapsed);
            }
            catch (TikTokApiException ex)
            {
                ex.Attempts = attempts;
                if (ex.IsRetryable && attempts > 1)
                {
                    throw new TikTokApiException($"{ex.Message} Gave up after {attempts} attempts.", ex.Kind, ex.Code, ex.RequestId, ex.HttpStatus, attempts, ex);
                }
                throw;
            }
            catch (TimeoutRejectedException ex)
            {
                throw new TikTokApiException(
                    $"The TikTok Business API at {_connection.BaseUri} did not answer {method} {displayPath} within {_connection.Retry.AttemptTimeout.TotalSeconds:0.#} s, {attempts} attempt(s).",
                    ApiErrorKind.Timeout, attempts: attempts, inner: ex);
            }
        }

        private async Task<ApiResponse> SendOnceAsync(HttpMethod method, string relative, string displayPath, Func<HttpContent>? body, int attempt, CancellationToken token)
        {
            using var request = new HttpRequestMessage(method, relative);
            request.Headers.TryAddWithoutValidation("Access-Token", _connection.AccessToken.Reveal());
            request.Headers.UserAgent.ParseAdd(UserAgent);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (body != null)
            {
                request.Content = body();
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }

            var clock = Stopwatch.StartNew();
            byte[] bytes;
            int status;
            try
            {
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token).ConfigureAwait(false);
                status = (int)response.StatusCode;
                bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                throw Unreachable(ex);
            }
            catch (IOException ex)
            {
                throw Unreachable(ex);
            }

            if (TryReadEnvelope(bytes, out int code, out string message, out string requestId, out JsonElement data))
            {
                message = Scrub(message);
                _log.Debug($"{method} {displayPath} attempt {attempt}: HTTP {status}, code {code}, request id {requestId}, {clock.ElapsedMilliseconds} ms");
                if (code == 0 || code == 20001)
                {
                    return new ApiResponse(code, message, requestId, data, status, attempt, clock.Elapsed);
                }
                var kind = ApiErrorCodes.Classify(code);
                throw new TikTokApiException($"TikTok answered {method} {displayPath} with code {code}: {message} (request id {requestId}).", kind, code, requestId, status);
            }

            _log.Debug($"{method} {displayPath} attempt {attempt}: HTTP {status} without a TikTok envelope, {clock.ElapsedMilliseconds} ms");
            string snippet = Snippet(bytes);
            if (status >= 500 || status == 429)
            {
                throw new TikTokApiException(
                    $"The API gateway answered {method} {displayPath} with HTTP {status}: {snippet}",
                    status == 429 ? ApiErrorKind.RateLimited : ApiErrorKind.ServerError, httpStatus: status);
            }
            throw new TikTokApiException(
                $"Unexpected answer to {method} {displayPath}: HTTP {status} without a TikTok JSON envelope: {snippet}. Is the API base URI {_connection.BaseUri} right?",
                status == 404 ? ApiErrorKind.NotFound : ApiErrorKind.Protocol, httpStatus: status);

            TikTokApiException Unreachable(Exception ex)
            {
                string reason = Scrub(ex.InnerException?.Message ?? ex.Message);
                _log.Debug($"{method} {displayPath} attempt {attempt}: no response ({reason}), {clock.ElapsedMilliseconds} ms");
                return new TikTokApiException(
                    $"Could not reach the TikTok Business API at {_connection.BaseUri}: {reason}.",
                    ApiErrorKind.Transport, inner: ex);
            }
        }

        private static bool TryReadEnvelope(byte[] bytes, out int code, out string message, out string requestId, out JsonElement data)
        {
            code = 0;
            message = string.Empty;
            requestId = string.Empty;
            data = default;
            if (bytes.Length == 0 || (bytes[0] != (byte)'{' && !char.IsWhiteSpace((char)bytes[0])))
            {
                return false;
            }
            try
            {
                using var doc = JsonDocument.Parse(bytes);
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("code", out var codeElement) || !codeElement.TryGetInt32(out code))
                {
                    return false;
                }
                message = root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() ?? string.Empty : string.Empty;
                requestId = root.TryGetProperty("request_id", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() ?? string.Empty : string.Empty;
                data = root.TryGetProperty("data", out var d) ? d.Clone() : default;
                return true;
            }
            catch (JsonException)
            {
                return false;
            }
        }

        /// <summary>Gateways answer with HTML; keep a short, tag-free excerpt for the error message.</summary>
        private string Snippet(byte[] bytes)
        {
            string text = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 2048));
            text = System.Text.RegularExpressions.Regex.Replace(text, "<[^>]*>", " ");
            text = System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ").Trim();
            if (text.Length > 160) text = text.Substring(0, 160) + "…";
            return text.Length == 0 ? "(empty body)" : Scrub(text);
        }

        /// <summary>Defence in depth: whatever a server or the network stack says, the token never passes through.</summary>
        private string Scrub(string text)
        {
            if (string.IsNullOrEmpty(text)) return text;
            string token = _connection.AccessToken.Reveal();
            return token.Length > 0 && text.IndexOf(token, StringComparison.Ordinal) >= 0 ? text.Replace(token, "********") : text;
        }

        public void Dispose() => _http.Dispose();
    }
}
