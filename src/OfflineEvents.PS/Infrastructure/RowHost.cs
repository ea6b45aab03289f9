using System;
using System.Management.Automation;
using System.Threading.Tasks;
using OfflineEvents.Core.Delivery;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>
    /// A cmdlet's side of a row engine (Export-OfflineEventFile's exporter; the base of Send-OfflineEvent's).
    /// The pipeline thread feeds the engine (pipeline rows and -Path files alike), so what the engine reports on it
    /// is written at once, but for rejects; what workers report (a batch's result, TikTok's rejects, Debug) and the
    /// rejects are queued and written by the pipeline thread at its next report, input object or wait.
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

        /// <summary>
        /// Writes now on the pipeline thread (after what workers queued, to keep the order); from a worker, queues the
        /// write for the pipeline thread.
        /// </summary>
        protected void Write(Action write)
        {
            if (Environment.CurrentManagedThreadId != _pipelineThread)
            {
                Log.Post(write);
                return;
            }
            Log.Drain(_cmdlet);
            write();
        }

        public void Verbose(string message) => Write(() => _cmdlet.WriteVerbose(message));
        public void Debug(string message) => Write(() => _cmdlet.WriteDebug(message));
        public void Warning(string message) => Write(() => _cmdlet.WriteWarning(message));
        // Queued even on the pipeline thread: an error record costs about as much as reading its row, and the pipeline
        // thread writes it while it waits for the workers (Wait) rather than between rows.
        public void Rejected(RejectedEvent rejected) => Log.Post(() => _onReject(rejected));
        public void Progress(DeliveryProgress progress) => Write(() => _onProgress(progress));

        // The engine waits on its feeding thread, which is the pipeline thread on every route (FileFeeder and pipeline
        // rows alike): pumping writes what is queued meanwhile (rejects, batch results) as it comes.
        public void Wait(Task task) => Log.PumpUntil(_cmdlet, task);
    }
}
