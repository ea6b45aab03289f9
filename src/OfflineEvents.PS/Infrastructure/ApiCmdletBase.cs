using System;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using OfflineEvents.Core.Api;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>
    /// Common ground of the cmdlets that call the Business API: optional per-call connection values,
    /// falling back to Connect-OfflineEventApi's connection, then to environment variables; one API
    /// client per invocation; cancellation on Ctrl+C; TikTok failures turned into ErrorRecords.
    /// </summary>
    public abstract class ApiCmdletBase : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private BusinessApiClient? _client;

        /// <summary>Overrides the connected advertiser for this call.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ValidatePattern(@"^\d{1,32}$")]
        public string? AdvertiserId { get; set; }

        /// <summary>Overrides the connected access token for this call.</summary>
        [Parameter]
        [ValidateNotNull]
        public SecureString? AccessToken { get; set; }

        /// <summary>Overrides the connected API base URI for this call (e.g. the local sandbox).</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? ApiBaseUri { get; set; }

        protected CancellationToken StopToken => _stopping.Token;

        internal PipelineLog Log { get; } = new PipelineLog();

        /// <summary>The client for this invocation, created on first use.</summary>
        protected BusinessApiClient Client => _client ??= new BusinessApiClient(ResolveConnection(), Log);

        /// <summary>Whether <see cref="Client"/> would find an advertiser and a token (parameters, Connect-OfflineEventApi, environment).</summary>
        protected bool HasConnection
        {
            get
            {
                try
                {
                    return FindConnection(AdvertiserId, AccessToken, ApiBaseUri) != null;
                }
                catch (ArgumentException)
                {
                    return true; // found, but invalid: Client reports it (InvalidConnection)
                }
            }
        }

        protected T Run<T>(Func<CancellationToken, Task<T>> work) => Log.Run(this, work, StopToken);

        /// <summary>
        /// Parameters first, then the Connect-OfflineEventApi connection, then the environment: the one lookup order, also
        /// for completion. Null when no advertiser or no token is found; ArgumentException when what is found is invalid.
        /// </summary>
        internal static ApiConnection? FindConnection(string? advertiserId, SecureString? accessToken, Uri? apiBaseUri, RetrySettings? retry = null)
        {
            ApiConnection? session = ConnectionSource.Current;
            string? advertiser = advertiserId ?? session?.AdvertiserId ?? ConnectionSource.FromEnvironment(ConnectionSource.AdvertiserVariable);
            AccessToken? token = accessToken != null ? new AccessToken(accessToken) : session?.AccessToken ?? EnvironmentToken();
            Uri? baseUri = apiBaseUri ?? session?.BaseUri ?? EnvironmentBaseUri();
            return advertiser == null || token == null ? null : new ApiConnection(advertiser, token, baseUri, retry ?? session?.Retry);
        }

        private ApiConnection ResolveConnection()
        {
            try
            {
                ApiConnection? connection = FindConnection(AdvertiserId, AccessToken, ApiBaseUri);
                if (connection == null)
                {
                    ThrowTerminatingError(new ErrorRecord(
                        new InvalidOperationException(
                            "No TikTok connection. Run Connect-OfflineEventApi, pass -AdvertiserId and -AccessToken, or set the "
                            + $"{ConnectionSource.AdvertiserVariable} and {ConnectionSource.TokenVariable} environment variables."),
                        ErrorIds.NotConnected, ErrorCategory.ConnectionError, null)
                    {
                        ErrorDetails = new ErrorDetails(string.Empty) { RecommendedAction = "Run Connect-OfflineEventApi -AdvertiserId <id> -AccessToken (Get-Secret TikTokToken)." },
                    });
                }
                return connection!;
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.InvalidConnection, ErrorCategory.InvalidArgument, null));
                throw; // not reached: ThrowTerminatingError always throws
            }
        }

        internal static AccessToken? EnvironmentToken()
        {
            string? text = ConnectionSource.FromEnvironment(ConnectionSource.TokenVariable);
            return text == null ? null : Core.Api.AccessToken.FromPlainText(text);
        }

        internal static Uri? EnvironmentBaseUri()
        {
            string? text = ConnectionSource.FromEnvironment(ConnectionSource.BaseUriVariable);
            if (text == null) return null;
            return Uri.TryCreate(text, UriKind.Absolute, out var uri)
                ? uri
                : throw new ArgumentException($"The {ConnectionSource.BaseUriVariable} environment variable is not an absolute URI: '{text}'.");
        }

        /// <summary>
        /// Maps a TikTok failure to an ErrorRecord. Failures after which nothing further can succeed
        /// (authentication, permission, an unreachable service) terminate; the rest are per item.
        /// </summary>
        protected void ReportApiError(TikTokApiException ex, object? target)
        {
            var record = NewErrorRecord(ex, target, out bool terminating);
            if (terminating) ThrowTerminatingError(record);
            WriteError(record);
        }

        /// <summary>The ErrorRecord for a TikTok failure, with a recommended action where one helps.</summary>
        internal static ErrorRecord NewErrorRecord(TikTokApiException ex, object? target, out bool terminating)
        {
            var (id, category, fatal) = Classify(ex.Kind);
            terminating = fatal;
            var record = new ErrorRecord(ex, id, category, target);
            if (ex.Kind == ApiErrorKind.Authentication)
            {
                record.ErrorDetails = new ErrorDetails(ex.Message)
                {
                    RecommendedAction = "Check the access token (Connect-OfflineEventApi -AccessToken, or the "
                        + ConnectionSource.TokenVariable + " variable); tokens come from TikTok's Business API OAuth flow.",
                };
            }
            return record;
        }

        internal static (string Id, ErrorCategory Category, bool Terminating) Classify(ApiErrorKind kind)
        {
            switch (kind)
            {
                case ApiErrorKind.Authentication: return (ErrorIds.AuthenticationFailed, ErrorCategory.AuthenticationError, true);
                case ApiErrorKind.PermissionDenied: return (ErrorIds.PermissionDenied, ErrorCategory.PermissionDenied, true);
                case ApiErrorKind.NotFound: return (ErrorIds.EventSetNotFound, ErrorCategory.ObjectNotFound, false);
                case ApiErrorKind.InvalidRequest:
                case ApiErrorKind.BatchTooLarge:
                case ApiErrorKind.PiiNotHashed: return (ErrorIds.InvalidRequest, ErrorCategory.InvalidData, false);
                case ApiErrorKind.RateLimited:
                case ApiErrorKind.ServerError:
                case ApiErrorKind.Maintenance: return (ErrorIds.ServiceUnavailable, ErrorCategory.ResourceUnavailable, true);
                case ApiErrorKind.Transport:
                case ApiErrorKind.Timeout: return (ErrorIds.ConnectionFailed, ErrorCategory.ConnectionError, true);
                case ApiErrorKind.EndpointRetired:
                case ApiErrorKind.Protocol: return (ErrorIds.ApiError, ErrorCategory.ProtocolError, true);
                default: return (ErrorIds.ApiError, ErrorCategory.NotSpecified, false);
            }
        }

        protected override void StopProcessing() => _stopping.Cancel();

        /// <summary>Releases what a derived cmdlet holds; runs before the client is disposed.</summary>
        protected virtual void DisposeResources()
        {
        }

        public void Dispose()
        {
            DisposeResources();
            _client?.Dispose();
            _stopping.Dispose();
        }
    }
}
