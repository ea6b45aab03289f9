using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using OfflineEvents.Core.Delivery;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>
    /// Send-OfflineEvent's side of the delivery engine. The engine reports from worker threads; everything that
    /// touches PowerShell (errors, progress, ShouldProcess, output) is queued to the pipeline thread, which
    /// drains the queue at every input object and while it waits.
    /// </summary>
    internal sealed class DeliveryHost : IDeliveryHost
    {
        private readonly PSCmdlet _cmdlet;
        private readonly PipelineLog _log;
        private readonly CancellationToken _stopping;
        private readonly Action<RejectedEvent> _onReject;
        private readonly Action<BatchResult> _onBatch;
        private readonly Action<DeliveryProgress> _onProgress;
        private readonly Func<int, int, long, long, bool> _approve;
        private readonly int _pipelineThread;

        // pipelineThread: the pipeline thread's id; its waits must pump the queue, or the engine waits for it forever.
        public DeliveryHost(PSCmdlet cmdlet, PipelineLog log, CancellationToken stopping, int pipelineThread,
            Func<int, int, long, long, bool> approve, Action<RejectedEvent> onReject, Action<BatchResult> onBatch, Action<DeliveryProgress> onProgress)
        {
            _cmdlet = cmdlet;
            _log = log;
            _stopping = stopping;
            _pipelineThread = pipelineThread;
            _approve = approve;
            _onReject = onReject;
            _onBatch = onBatch;
            _onProgress = onProgress;
        }

        public void Verbose(string message) => _log.Verbose(message);
        public void Debug(string message) => _log.Debug(message);
        public void Warning(string message) => _log.Warning(message);

        public Task<bool> ApproveAsync(int batch, int events, long firstRow, long lastRow)
        {
            var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            // After Ctrl+C the pipeline thread no longer pumps: a batch not yet approved is not sent.
            var registration = _stopping.Register(() => answer.TrySetResult(false));
            _log.Post(() =>
            {
                try
                {
                    answer.TrySetResult(!_stopping.IsCancellationRequested && _approve(batch, events, firstRow, lastRow));
                }
                catch
                {
                    answer.TrySetResult(false);
                    throw;
                }
                finally
                {
                    registration.Dispose();
                }
            });
            return answer.Task;
        }

        public void Rejected(RejectedEvent rejected) => _log.Post(() => _onReject(rejected));

        public void BatchCompleted(BatchResult result) => _log.Post(() => _onBatch(result));

        public void Progress(DeliveryProgress progress) => _log.Post(() => _onProgress(progress));

        public void Wait(Task task)
        {
            if (Environment.CurrentManagedThreadId == _pipelineThread) _log.PumpUntil(_cmdlet, task);
            else task.Wait();
        }
    }
}
