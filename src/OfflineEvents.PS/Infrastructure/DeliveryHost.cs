using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using OfflineEvents.Core.Delivery;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>Send-OfflineEvent's side of the delivery engine: a row host that also answers ShouldProcess per batch and takes batch results.</summary>
    internal sealed class DeliveryHost : RowHost, IDeliveryHost
    {
        private readonly CancellationToken _stopping;
        private readonly Action<BatchResult> _onBatch;
        private readonly Func<int, int, long, long, bool> _approve;

        public DeliveryHost(PSCmdlet cmdlet, PipelineLog log, CancellationToken stopping, int pipelineThread,
            Func<int, int, long, long, bool> approve, Action<RejectedEvent> onReject, Action<BatchResult> onBatch, Action<DeliveryProgress> onProgress)
            : base(cmdlet, log, pipelineThread, onReject, onProgress)
        {
            _stopping = stopping;
            _approve = approve;
            _onBatch = onBatch;
        }

        public Task<bool> ApproveAsync(int batch, int events, long firstRow, long lastRow)
        {
            // The engine asks on the feeding thread, which is the pipeline thread on every route: ShouldProcess is
            // answered here and now, in batch order. After Ctrl+C a batch not yet approved is not sent.
            return Task.FromResult(!_stopping.IsCancellationRequested && _approve(batch, events, firstRow, lastRow));
        }

        public void BatchCompleted(BatchResult result) => Write(() => _onBatch(result));
    }
}
