using System;
using System.Management.Automation;
using System.Threading.Tasks;
using OfflineEvents.Core.Delivery;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>
    /// A cmdlet's side of a row engine (Export-OfflineEventFile's exporter; the base of Send-OfflineEvent's).
    /// The pipeline thread feeds the engine (pipeline rows and -Path files alike), so what the engine reports on it
    /// is written at once; what workers report (a batch's result, TikTok's rejects, Debug) is queued and written by
    /// the pipeline thread at its next report, input object or wait.
    /// </summary>
    internal class RowHost : IRowHost
    {
        private readonly PSCmdlet _cmdlet;
        private readonly Action<RejectedEvent> _onReject;
        private readonly Action<DeliveryProgress> _onProgress;
        private readonly int _pipelineThread;

        // pipelineThread: the pipeline thread's id; only it may call Write*.
        public RowHost(PSCmdlet cmdlet, PipelineLog log, int pipelineThread, Action<RejectedEvent> onReject, Action<DeliveryProgress> onProgress)
        {
            _cmdlet = cmdlet;
            Log = log;
            _pipelineThread = pipelineThread;
            _onReject = onReject;
            _onProgress = onProgress;
        }

        protected PipelineLog Log { get; }

        /// <summary>Whether the caller is the pipeline thread; if so, what workers queued is written first, to keep the order.</summary>
        protected bool OnPipelineThread()
        {
            if (Environment.CurrentManagedThreadId != _pipelineThread) return false;
            Log.Drain(_cmdlet);
            return true;
        }

        public void Verbose(string message)
        {
            if (OnPipelineThread()) _cmdlet.WriteVerbose(message);
            else Log.Verbose(message);
        }

        public void Debug(string message)
        {
            if (OnPipelineThread()) _cmdlet.WriteDebug(message);
            else Log.Debug(message);
        }

        public void Warning(string message)
        {
            if (OnPipelineThread()) _cmdlet.WriteWarning(message);
            else Log.Warning(message);
        }

        public void Rejected(RejectedEvent rejected)
        {
            if (OnPipelineThread()) _onReject(rejected);
            else Log.Post(() => _onReject(rejected));
        }

        public void Progress(DeliveryProgress progress)
        {
            if (OnPipelineThread()) _onProgress(progress);
            else Log.Post(() => _onProgress(progress));
        }

        public void Wait(Task task)
        {
            // Nothing on a worker waits for the pipeline thread (ShouldProcess is asked on it, in turn), so a plain wait
            // would do; pumping writes what workers queue meanwhile (batch results, TikTok's rejects) as it comes.
            if (Environment.CurrentManagedThreadId == _pipelineThread) Log.PumpUntil(_cmdlet, task);
            else task.Wait();
        }
    }
}
