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

        // No redirects: TikTok's API does not redirect, and HttpClient would carry the Access-Token header to
        // whatever origin a Location names (it strips only Authorization).
        public BusinessApiClient(ApiConnection connection, IOperationLog? log = null)
            : this(connection, log, new HttpClientHandler { AllowAutoRedirect = false })
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
            Uri? location;
            try
            {
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token).ConfigureAwait(false);
                status = (int)response.StatusCode;
                location = response.Headers.Location;
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

            if (status >= 300 && status < 400)
            {
                _log.Debug($"{method} {displayPath} attempt {attempt}: HTTP {status} (a redirect, not followed), {clock.ElapsedMilliseconds} ms");
                throw new TikTokApiException(
                    $"The API answered {method} {displayPath} with HTTP {status}, a redirect to {LocationOrigin(location)}. Redirects are not followed "
                    + $"(TikTok's API does not redirect), so the access token was not sent there. Is the API base URI {_connection.BaseUri} right?",
                    ApiErrorKind.Protocol, httpStatus: status);
            }

            bool httpOk = status >= 200 && status < 300;
            bytes = Scrub(bytes);
            var envelope = ReadEnvelope(bytes, out int code, out string message, out string requestId, out JsonElement data);
            // Every server-provided string that can reach a message, an error or a file is cleaned here, once.
            requestId = Clean(requestId, MaxRequestIdLength);
            message = Clean(message, int.MaxValue); // a malformed envelope's message quotes the server's "code" too
            if (envelope == EnvelopeKind.Envelope)
            {
                _log.Debug($"{method} {displayPath} attempt {attempt}: HTTP {status}, code {code}, request id {requestId}, {clock.ElapsedMilliseconds} ms");
                if (code != 0 && code != 20001)
                {
                    var kind = ApiErrorCodes.Classify(code);
                    // 40050 ("TikTok has this request") counts as delivered, so it is believed only under an HTTP success
                    // status; under an HTTP error it is that error below, like a code 0 body.
                    if (httpOk || kind != ApiErrorKind.DuplicateRequest)
                    {
                        throw new TikTokApiException($"TikTok answered {method} {displayPath} with code {code}: {message} (request id {requestId}).", kind, code, requestId, status)
                        {
                            ApiMessage = message,
                        };
                    }
                }
                if (httpOk)
                {
                    return new ApiResponse(code, message, requestId, data, status, attempt, clock.Elapsed);
                }
            }
            else
            {
                _log.Debug($"{method} {displayPath} attempt {attempt}: HTTP {status} without a TikTok envelope, {clock.ElapsedMilliseconds} ms");
            }

            if (httpOk && envelope == EnvelopeKind.Malformed)
            {
                throw new TikTokApiException(
                    $"TikTok's answer to {method} {displayPath} is malformed: {message}"
                    + (requestId.Length > 0 ? $" (request id {requestId})." : ".") + " It was not taken as success.",
                    ApiErrorKind.Protocol, requestId: requestId.Length > 0 ? requestId : null, httpStatus: status);
            }

            // An HTTP error status is never success, whatever the body says (a gateway's page, or {"code":0}).
            string said = envelope == EnvelopeKind.Envelope
                ? $"a body claiming code {code} (request id {requestId}), which an HTTP error status overrides"
                : envelope == EnvelopeKind.Malformed ? "a malformed envelope: " + message : Snippet(bytes);
            if (status >= 500 || status == 429)
            {
                throw new TikTokApiException(
                    $"The API gateway answered {method} {displayPath} with HTTP {status}: {said}",
                    status == 429 ? ApiErrorKind.RateLimited : ApiErrorKind.ServerError, requestId: requestId.Length > 0 ? requestId : null, httpStatus: status);
            }
            throw new TikTokApiException(
                (envelope == EnvelopeKind.None
                    ? $"Unexpected answer to {method} {displayPath}: HTTP {status} without a TikTok JSON envelope: {said}."
                    : $"Unexpected answer to {method} {displayPath}: HTTP {status} with {said}.")
                + $" Is the API base URI {_connection.BaseUri} right?",
                status == 404 ? ApiErrorKind.NotFound : ApiErrorKind.Protocol, requestId: requestId.Length > 0 ? requestId : null, httpStatus: status);

            TikTokApiException Unreachable(Exception ex)
            {
                string reason = Scrub(ex.InnerException?.Message ?? ex.Message);
                _log.Debug($"{method} {displayPath} attempt {attempt}: no response ({reason}), {clock.ElapsedMilliseconds} ms");
                return new TikTokApiException(
                    $"Could not reach the TikTok Business API at {_connection.BaseUri}: {reason}.",
                    ApiErrorKind.Transport, inner: ex);
            }
        }

        private const int MaxRequestIdLength = 128;

        private enum EnvelopeKind
        {
            None,
            Envelope,
            /// <summary>A JSON object with a "code" that is not an integer ("0", 0.5...): the message says what is wrong.</summary>
            Malformed,
        }

        private static EnvelopeKind ReadEnvelope(byte[] bytes, out int code, out string message, out string requestId, out JsonElement data)
        {
            code = 0;
            message = string.Empty;
            requestId = string.Empty;
            data = default;
            if (bytes.Length == 0 || (bytes[0] != (byte)'{' && !char.IsWhiteSpace((char)bytes[0])))
            {
                return EnvelopeKind.None;
            }
            try
            {
                using var doc = JsonDocument.Parse(bytes);
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("code", out var codeElement))
                {
                    return EnvelopeKind.None;
                }
                requestId = root.TryGetProperty("request_id", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() ?? string.Empty : string.Empty;
                if (codeElement.ValueKind != JsonValueKind.Number || !codeElement.TryGetInt32(out code))
                {
                    string shown = codeElement.ValueKind == JsonValueKind.String ? "the string \"" + Shorten(codeElement.GetString() ?? string.Empty, 20) + "\"" : codeElement.ValueKind.ToString().ToLowerInvariant() + " " + Shorten(codeElement.GetRawText(), 20);
                    message = $"its \"code\" is {shown}, not an integer";
                    code = 0;
                    return EnvelopeKind.Malformed;
                }
                message = root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() ?? string.Empty : string.Empty;
                data = root.TryGetProperty("data", out var d) ? d.Clone() : default;
                return EnvelopeKind.Envelope;
            }
            catch (JsonException)
            {
                return EnvelopeKind.None;
            }
        }

        private static string Shorten(string text, int max) => text.Length > max ? text.Substring(0, max) + "…" : text;

        /// <summary>A redirect's target as scheme://host:port only: its path and query may carry anything.</summary>
        private string LocationOrigin(Uri? location)
        {
            if (location == null) return "(no Location)";
            var absolute = location.IsAbsoluteUri ? location : new Uri(_connection.BaseUri, location);
            return Scrub(absolute.GetLeftPart(UriPartial.Authority));
        }

        /// <summary>A server's string made safe for a message, an error record or a journal line: the token scrubbed,
        /// control characters (a line break would forge a journal line) replaced, and bounded.</summary>
        private string Clean(string text, int maxLength)
        {
            text = Scrub(text);
            if (text.Length > maxLength) text = text.Substring(0, maxLength) + "…";
            for (int i = 0; i < text.Length; i++)
            {
                if (char.IsControl(text[i]))
                {
                    var chars = text.ToCharArray();
                    for (int j = i; j < chars.Length; j++) if (char.IsControl(chars[j])) chars[j] = ' ';
                    return new string(chars);
                }
            }
            return text;
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

        /// <summary>The token removed from a raw body before it is parsed, so no part of the answer (data included) carries it.</summary>
        private byte[] Scrub(byte[] bytes)
        {
            string token = _connection.AccessToken.Reveal();
            if (token.Length == 0 || bytes.Length < token.Length) return bytes;
            byte[] needle = Encoding.UTF8.GetBytes(token);
            if (new ReadOnlySpan<byte>(bytes).IndexOf(needle) < 0) return bytes;
            string text = Encoding.UTF8.GetString(bytes).Replace(token, "********");
            return Encoding.UTF8.GetBytes(text);
        }

        public void Dispose() => _http.Dispose();
    }
}
