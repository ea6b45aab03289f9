using System;
using System.Management.Automation;
using System.Security;
using OfflineEvents.Core.Api;
using OfflineEvents.Core.EventSets;
using OfflineEvents.PS.Infrastructure;
using OfflineEvents.PS.Output;

namespace OfflineEvents.PS.Commands
{
    /// <summary>
    /// Connect-OfflineEventApi: remembers the advertiser, API base URI and access token for the session's
    /// later calls, after checking them with one read-only call (skip with -SkipCheck).
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "OfflineEventApi", DefaultParameterSetName = TokenSet)]
    [OutputType(typeof(OfflineEventConnection))]
    public sealed class ConnectOfflineEventApiCommand : PSCmdlet, IDisposable
    {
        private const string TokenSet = "AccessToken";
        private const string CredentialSet = "Credential";
        private readonly System.Threading.CancellationTokenSource _stopping = new System.Threading.CancellationTokenSource();

        /// <summary>The advertiser (ad account) id. Falls back to OFFLINEEVENTS_ADVERTISER_ID.</summary>
        [Parameter(Position = 0, ParameterSetName = TokenSet)]
        [ValidatePattern(@"^\d{1,32}$")]
        public string? AdvertiserId { get; set; }

        /// <summary>The access token. Falls back to OFFLINEEVENTS_ACCESS_TOKEN.</summary>
        [Parameter(ParameterSetName = TokenSet)]
        [ValidateNotNull]
        public SecureString? AccessToken { get; set; }

        /// <summary>User name = advertiser id, password = access token.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
        [Credential]
        [ValidateNotNull]
        public PSCredential? Credential { get; set; }

        /// <summary>The API base URI. Default: TikTok production, or OFFLINEEVENTS_API_URI.</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? ApiBaseUri { get; set; }

        [Parameter]
        [ValidateRange(1, 600)]
        public int TimeoutSec { get; set; } = 30;

        [Parameter]
        [ValidateRange(0, 20)]
        public int MaxRetryCount { get; set; } = 5;

        [Parameter]
        [ValidateRange(0.0, 60.0)]
        public double RetryDelaySec { get; set; } = 1.0;

        /// <summary>Do not check the connection with a read-only call.</summary>
        [Parameter]
        public SwitchParameter SkipCheck { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            string? advertiser;
            AccessToken? token;
            string tokenSource;
            if (ParameterSetName == CredentialSet)
            {
                advertiser = Credential!.UserName.TrimStart('\\');
                token = Credential.Password.Length == 0 ? null : new AccessToken(Credential.Password);
                tokenSource = "Credential";
            }
            else
            {
                advertiser = AdvertiserId ?? ConnectionSource.FromEnvironment(ConnectionSource.AdvertiserVariable);
                token = AccessToken != null ? new AccessToken(AccessToken) : ApiCmdletBase.EnvironmentToken();
                tokenSource = AccessToken != null ? "Parameter" : "Environment";
            }
            if (advertiser == null || token == null)
            {
                string missing = advertiser == null ? "advertiser id (-AdvertiserId or " + ConnectionSource.AdvertiserVariable + ")" : "access token (-AccessToken or " + ConnectionSource.TokenVariable + ")";
                ThrowTerminatingError(new ErrorRecord(new ArgumentException("No " + missing + " was given."), ErrorIds.NotConnected, ErrorCategory.InvalidArgument, null));
            }

            ApiConnection connection;
            try
            {
                var retry = new RetrySettings(TimeSpan.FromSeconds(TimeoutSec), MaxRetryCount, TimeSpan.FromSeconds(RetryDelaySec));
                connection = new ApiConnection(advertiser!, token!, ApiBaseUri ?? ApiCmdletBase.EnvironmentBaseUri(), retry);
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.InvalidConnection, ErrorCategory.InvalidArgument, ApiBaseUri));
                return;
            }

            int setCount = -1;
            if (!SkipCheck)
            {
                var log = new PipelineLog();
                using var client = new BusinessApiClient(connection, log);
                try
                {
                    setCount = log.Run(this, async ct => (await new EventSetClient(client).GetAsync(null, null, ct).ConfigureAwait(false)).Count, _stopping.Token);
                }
                catch (TikTokApiException ex)
                {
                    // A failed check leaves no half-made connection behind: every failure here is terminating.
                    ThrowTerminatingError(ApiCmdletBase.NewErrorRecord(ex, connection.BaseUri, out _));
                }
            }

            var described = new OfflineEventConnection(connection.AdvertiserId, connection.BaseUri, tokenSource, setCount, DateTime.UtcNow, OfflineEventConnection.ByConnect);
            ConnectionSource.Set(connection, described);
            WriteVerbose($"Connected to {connection.BaseUri} as advertiser {connection.AdvertiserId} (token from {tokenSource.ToLowerInvariant()}).");
            if (PassThru) WriteObject(described);
        }

        protected override void StopProcessing() => _stopping.Cancel();

        public void Dispose() => _stopping.Dispose();
    }
}
