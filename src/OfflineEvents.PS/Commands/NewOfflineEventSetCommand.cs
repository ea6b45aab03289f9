using System.Management.Automation;
using OfflineEvents.Core.Api;
using OfflineEvents.Core.EventSets;
using OfflineEvents.PS.Infrastructure;

namespace OfflineEvents.PS.Commands
{
    /// <summary>New-OfflineEventSet: creates an offline event set for the advertiser.</summary>
    [Cmdlet(VerbsCommon.New, "OfflineEventSet", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(OfflineEventSet))]
    public sealed class NewOfflineEventSetCommand : ApiCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("EventSetName", "event_set_name")]
        [ValidateNotNullOrEmpty]
        [ValidateLength(1, 128)]
        public string Name { get; set; } = string.Empty;

        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        public string Description { get; set; } = string.Empty;

        /// <summary>On (TikTok's advice): every future campaign of the ad account uses this set.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("auto_tracking")]
        public bool AutoTracking { get; set; } = true;

        protected override void ProcessRecord()
        {
            string action = AutoTracking ? "Create (auto-tracking on)" : "Create (auto-tracking off)";
            if (!ShouldProcess($"Offline event set '{Name}'", action)) return;
            try
            {
                var created = Run(ct => new EventSetClient(Client).CreateAsync(Name, Description, AutoTracking, ct));
                WriteVerbose($"Created offline event set {created.EventSetId} '{created.Name}'.");
                WriteObject(created);
            }
            catch (TikTokApiException ex)
            {
                ReportApiError(ex, Name);
            }
        }
    }
}
