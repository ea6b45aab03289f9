using System;
using System.Management.Automation;
using System.Threading.Tasks;
using OfflineEvents.Core.Delivery;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>
    /// A cmdlet's side of a row engine (Export-OfflineEventFile's exporter; the base of Send-OfflineEvent's).
    /// The engine reports from worker threads; everything that touches PowerShell (errors, progress, output)
    /// is queued to the pipeline thread, which drains the queue at every input object and while it waits.
    /// </summary>
    internal class RowHost : IRowHost
    {
        private readonly PSCmdlet _cmdlet;
        private readonly Action<RejectedEvent> _onReject;
        private readonly Action<DeliveryProgress> _onProgress;
        private readonly int _pipelineThread;

        // pipelineThread: the pipeline thread's id; its waits must pump the queue, or the engine waits for it forever.
        public RowHost(PSCmdlet cmdlet, PipelineLog log, int pipelineThread, Action<RejectedEvent> onReject, Action<DeliveryProgress> onProgress)
        {
            _cmdlet = cmdlet;
            Log = log;
            _pipelineThread = pipelineThread;
            _onReject = onReject;
            _onProgress = onProgress;
        }

        protected PipelineLog Log { get; }

        public void Verbose(string message) => Log.Verbose(message);
        public void Debug(string message) => Log.Debug(message);
        public void Warning(string message) => Log.Warning(message);

        public void Rejected(RejectedEvent rejected) => Log.Post(() => _onReject(rejected));

        public void Progress(DeliveryProgress progress) => Log.Post(() => _onProgress(progress));

        public void Wait(Task task)
        {
            if (Environment.CurrentManagedThreadId == _pipelineThread) Log.PumpUntil(_cmdlet, task);
            else task.Wait();
        }
    }
}
