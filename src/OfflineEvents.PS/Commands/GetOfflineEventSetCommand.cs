using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OfflineEvents.Core.Api;
using OfflineEvents.Core.EventSets;
using OfflineEvents.PS.Infrastructure;

namespace OfflineEvents.PS.Commands
{
    /// <summary>Get-OfflineEventSet: lists the advertiser's offline event sets, all, by id, or by name with wildcards.</summary>
    [Cmdlet(VerbsCommon.Get, "OfflineEventSet", DefaultParameterSetName = NameSet)]
    [OutputType(typeof(OfflineEventSet))]
    public sealed class GetOfflineEventSetCommand : ApiCmdletBase
    {
        private const string NameSet = "Name";
        private const string IdSet = "Id";
        private IReadOnlyList<OfflineEventSet>? _all;

        [Parameter(Position = 0, ParameterSetName = NameSet)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(EventSetCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = IdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id", "event_set_id", "EventSourceId")]
        [ArgumentCompleter(typeof(EventSetCompleter))]
        [ValidateNotNullOrEmpty]
        [ValidatePattern(@"^\d{1,32}$")]
        public string[]? EventSetId { get; set; }

        protected override void ProcessRecord()
        {
            try
            {
                if (ParameterSetName == IdSet)
                {
                    var found = Run(ct => new EventSetClient(Client).GetAsync(EventSetId!, null, ct));
                    foreach (string id in EventSetId!)
                    {
                        var set = found.FirstOrDefault(s => s.EventSetId == id);
                        if (set != null) WriteObject(set);
                        else WriteNotFound(id, $"No offline event set with id {id} exists for advertiser {Client.Connection.AdvertiserId}.");
                    }
                    return;
                }
                // Wildcards are matched here: the API's name filter is a plain substring search.
                _all ??= Run(ct => new EventSetClient(Client).GetAsync(null, null, ct));
                if (Name == null)
                {
                    WriteObject(_all, enumerateCollection: true);
                    return;
                }
                foreach (string pattern in Name)
                {
                    var matcher = new WildcardPattern(pattern, WildcardOptions.IgnoreCase);
                    var matches = _all.Where(s => matcher.IsMatch(s.Name)).ToList();
                    WriteObject(matches, enumerateCollection: true);
                    if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(pattern))
                    {
                        WriteNotFound(pattern, $"No offline event set named '{pattern}' exists for advertiser {Client.Connection.AdvertiserId}.");
                    }
                }
            }
            catch (TikTokApiException ex)
            {
                ReportApiError(ex, (object?)EventSetId ?? Name);
            }
        }

        private void WriteNotFound(string target, string message) =>
            WriteError(new ErrorRecord(new ItemNotFoundException(message), ErrorIds.EventSetNotFound, ErrorCategory.ObjectNotFound, target));
    }
}
