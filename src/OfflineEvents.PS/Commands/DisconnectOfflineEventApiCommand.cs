using System.Management.Automation;
using OfflineEvents.PS.Infrastructure;

namespace OfflineEvents.PS.Commands
{
    /// <summary>Disconnect-OfflineEventApi: forgets the connection made by Connect-OfflineEventApi.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "OfflineEventApi")]
    [OutputType(typeof(void))]
    public sealed class DisconnectOfflineEventApiCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            if (ConnectionSource.Current == null)
            {
                WriteVerbose("There was no connection to forget.");
                return;
            }
            ConnectionSource.Current = null;
            WriteVerbose("Disconnected: the advertiser id and access token are forgotten.");
        }
    }
}
