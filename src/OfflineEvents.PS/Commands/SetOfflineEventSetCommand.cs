using System.Management.Automation;
using OfflineEvents.Core.Api;
using OfflineEvents.Core.EventSets;
using OfflineEvents.PS.Infrastructure;

namespace OfflineEvents.PS.Commands
{
    /// <summary>Set-OfflineEventSet: renames a set or turns auto-tracking on or off. TikTok does not allow changing the description.</summary>
    [Cmdlet(VerbsCommon.Set, "OfflineEventSet", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(OfflineEventSet))]
    public sealed class SetOfflineEventSetCommand : ApiCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id", "event_set_id", "EventSourceId")]
        [ArgumentCompleter(typeof(EventSetCompleter))]
        [ValidatePattern(@"^\d{1,32}$")]
        public string EventSetId { get; set; } = string.Empty;

        /// <summary>The new name. Not bound from the pipeline, so piping a set in never renames it by accident.</summary>
        [Parameter]
        [Alias("NewName")]
        [ValidateNotNullOrEmpty]
        [ValidateLength(1, 128)]
        public string? Name { get; set; }

        [Parameter]
        [Alias("auto_tracking")]
        public bool AutoTracking { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            bool? autoTracking = MyInvocation.BoundParameters.ContainsKey(nameof(AutoTracking)) ? AutoTracking : (bool?)null;
            if (Name == null && autoTracking == null)
            {
                WriteError(new ErrorRecord(
                    new PSArgumentException("Nothing to change: give -Name, -AutoTracking, or both."),
                    ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument, EventSetId));
                return;
            }
            var changes = new System.Collections.Generic.List<string>();
            if (Name != null) changes.Add($"rename to '{Name}'");
            if (autoTracking.HasValue) changes.Add($"auto-tracking {(autoTracking.Value ? "on" : "off")}");
            string change = string.Join(", ", changes);
            if (!ShouldProcess($"Offline event set {EventSetId}", change)) return;
            try
            {
                var updated = Run(ct => new EventSetClient(Client).UpdateAsync(EventSetId, Name, autoTracking, ct));
                WriteVerbose($"Updated offline event set {EventSetId}: {change}.");
                if (PassThru) WriteObject(updated);
            }
            catch (TikTokApiException ex)
            {
                ReportApiError(ex, EventSetId);
            }
        }
    }
}
