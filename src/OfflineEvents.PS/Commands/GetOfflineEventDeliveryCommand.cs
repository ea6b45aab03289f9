using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using OfflineEvents.Core.Delivery;
using OfflineEvents.PS.Infrastructure;

namespace OfflineEvents.PS.Commands
{
    /// <summary>
    /// Get-OfflineEventDelivery: the delivery history a journal keeps. Lists its runs, or the events of orders
    /// with when they were sent and TikTok's request id. Reads the journal without locking it, so it also works
    /// while Send-OfflineEvent is using it.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "OfflineEventDelivery", DefaultParameterSetName = RunSet)]
    [OutputType(typeof(DeliveryRun), ParameterSetName = new[] { RunSet })]
    [OutputType(typeof(DeliveredEvent), ParameterSetName = new[] { OrderSet })]
    public sealed class GetOfflineEventDeliveryCommand : PSCmdlet
    {
        private const string RunSet = "Run";
        private const string OrderSet = "Order";
        private readonly List<string> _orders = new List<string>();

        /// <summary>The journal Send-OfflineEvent -JournalPath wrote.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string JournalPath { get; set; } = string.Empty;

        /// <summary>Order ids whose events to list; binds from the order_id column of a CSV.</summary>
        [Parameter(Mandatory = true, ParameterSetName = OrderSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("order_id", "Order ID", "Order")]
        [ValidateNotNullOrEmpty]
        public string[]? OrderId { get; set; }

        /// <summary>Only runs started, or events sent, at or after this time.</summary>
        [Parameter]
        public DateTime Since { get; set; }

        /// <summary>Only the last N runs or events.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Last { get; set; }

        protected override void ProcessRecord()
        {
            if (OrderId != null) _orders.AddRange(OrderId.Select(o => o.Trim()).Where(o => o.Length > 0));
        }

        protected override void EndProcessing()
        {
            string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(JournalPath);
            DateTime? since = MyInvocation.BoundParameters.ContainsKey(nameof(Since)) ? Since : (DateTime?)null;
            int? last = MyInvocation.BoundParameters.ContainsKey(nameof(Last)) ? Last : (int?)null;
            try
            {
                using var history = DeliveryHistory.Open(path);
                if (ParameterSetName == OrderSet)
                {
                    var events = history.Orders(_orders.Distinct(StringComparer.Ordinal).ToList(), since, last);
                    WriteVerbose($"{events.Count:N0} journaled event(s) of {_orders.Count:N0} order id(s) in {history.Path}.");
                    foreach (var e in events) WriteObject(e);
                }
                else
                {
                    foreach (var run in history.Runs(since, last)) WriteObject(run);
                }
            }
            catch (FileNotFoundException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.FileNotFound, ErrorCategory.ObjectNotFound, path));
            }
            catch (Exception ex) when (ex is IOException || ex is InvalidDataException || ex is UnauthorizedAccessException)
            {
                ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.DeliveryJournalUnavailable, ErrorCategory.ReadError, path));
            }
        }
    }
}
