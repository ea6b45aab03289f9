using System;
using System.Management.Automation;
using OfflineEvents.Core.Api;
using OfflineEvents.PS.Infrastructure;
using OfflineEvents.PS.Output;

namespace OfflineEvents.PS.Commands
{
    /// <summary>
    /// Get-OfflineEventConnection: the connection the API cmdlets use when given none of their own, from
    /// Connect-OfflineEventApi or else the OFFLINEEVENTS_* environment variables. Never the token; no API call.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "OfflineEventConnection")]
    [OutputType(typeof(OfflineEventConnection))]
    public sealed class GetOfflineEventConnectionCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            var session = ConnectionSource.Described;
            if (session != null)
            {
                WriteObject(session);
                return;
            }
            string? advertiser = ConnectionSource.FromEnvironment(ConnectionSource.AdvertiserVariable);
            bool token = ConnectionSource.FromEnvironment(ConnectionSource.TokenVariable) != null;
            if (advertiser == null || !token)
            {
                string missing = advertiser == null && !token ? "no advertiser id and no token" : advertiser == null ? $"a token but no {ConnectionSource.AdvertiserVariable}" : $"an advertiser id but no {ConnectionSource.TokenVariable}";
                WriteError(new ErrorRecord(
                    new InvalidOperationException($"No TikTok connection: Connect-OfflineEventApi was not run, and the environment has {missing}."),
                    ErrorIds.NotConnected, ErrorCategory.ConnectionError, null)
                {
                    ErrorDetails = new ErrorDetails(string.Empty) { RecommendedAction = "Run Connect-OfflineEventApi -AdvertiserId <id> -AccessToken (Get-Secret TikTokToken)." },
                });
                return;
            }
            try
            {
                var baseUri = ApiConnection.NormalizeBaseUri(ApiCmdletBase.EnvironmentBaseUri() ?? ApiConnection.ProductionBaseUri);
                WriteObject(new OfflineEventConnection(ApiConnection.ValidateAdvertiserId(advertiser), baseUri, "Environment", -1, null, OfflineEventConnection.ByEnvironment));
            }
            catch (ArgumentException ex)
            {
                WriteError(new ErrorRecord(ex, ErrorIds.InvalidConnection, ErrorCategory.InvalidArgument, null));
            }
        }
    }
}
