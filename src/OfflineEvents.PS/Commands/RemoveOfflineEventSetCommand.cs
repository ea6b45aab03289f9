using System.Management.Automation;
using OfflineEvents.Core.Api;
using OfflineEvents.Core.EventSets;
using OfflineEvents.PS.Infrastructure;

namespace OfflineEvents.PS.Commands
{
    /// <summary>Remove-OfflineEventSet: deletes offline event sets. Asks first unless -Force or -Confirm:$false.</summary>
    [Cmdlet(VerbsCommon.Remove, "OfflineEventSet", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveOfflineEventSetCommand : ApiCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id", "event_set_id", "EventSourceId")]
        [ArgumentCompleter(typeof(EventSetCompleter))]
        [ValidatePattern(@"^\d{1,32}$")]
        public string EventSetId { get; set; } = string.Empty;

        /// <summary>Delete without asking. -WhatIf still only reports.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            bool skipPrompt = Force && !MyInvocation.BoundParameters.ContainsKey("WhatIf");
            if (!skipPrompt && !ShouldProcess($"Offline event set {EventSetId}", "Delete")) return;
            try
            {
                string requestId = Run(ct => new EventSetClient(Client).DeleteAsync(EventSetId, ct));
                WriteVerbose($"Deleted offline event set {EventSetId} (request id {requestId}).");
            }
            catch (TikTokApiException ex)
            {
                ReportApiError(ex, EventSetId);
            }
        }
    }
}
