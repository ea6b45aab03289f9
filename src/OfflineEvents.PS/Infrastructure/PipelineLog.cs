using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using OfflineEvents.Core.Diagnostics;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>
    /// Collects what the core reports from worker threads and writes it from the pipeline thread, the only
    /// thread PowerShell allows Write* calls on. <see cref="Run{T}"/> pumps while the work runs.
    /// </summary>
    internal sealed class PipelineLog : IOperationLog
    {
        private enum Level { Verbose, Debug, Warning, Action }

        private readonly BlockingCollection<(Level Level, string Message, Action? Action)> _queue =
            new BlockingCollection<(Level, string, Action?)>();

        public void Verbose(string message) => _queue.Add((Level.Verbose, message, null));
        public void Debug(string message) => _queue.Add((Level.Debug, message, null));
        public void Warning(string message) => _queue.Add((Level.Warning, message, null));

        /// <summary>Runs <paramref name="action"/> (progress, output) on the pipeline thread during <see cref="Run{T}"/>.</summary>
        public void Post(Action action) => _queue.Add((Level.Action, string.Empty, action));

        /// <summary>Runs the work on the thread pool and pumps messages here until it ends; rethrows its exception.</summary>
        public T Run<T>(Cmdlet cmdlet, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
        {
            // A thread of its own: the work may block for long (an API call's retries), and a blocked thread-pool
            // thread starves the tasks it waits for on a two-core machine.
            Task<T> task = Task.Factory.StartNew(() => work(cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
            PumpUntil(cmdlet, task);
            return task.GetAwaiter().GetResult();
        }

        /// <summary>Writes whatever is queued, without waiting. Pipeline thread only.</summary>
        public void Drain(Cmdlet cmdlet)
        {
            while (_queue.TryTake(out var item)) Write(cmdlet, item);
        }

        /// <summary>Pumps messages until the task ends (it runs elsewhere). Pipeline thread only.</summary>
        public void PumpUntil(Cmdlet cmdlet, Task task)
        {
            // Wakes when the task ends, not at a poll (the engine's waits for a chunk are short and many: Task.Wait
            // spins first), and meanwhile writes what was queued, every 10 ms.
            try
            {
                while (!task.Wait(10)) Drain(cmdlet);
            }
            catch (AggregateException)
            {
                // The task failed: its caller observes that.
            }
            Drain(cmdlet);
        }

        private static void Write(Cmdlet cmdlet, (Level Level, string Message, Action? Action) item)
        {
            switch (item.Level)
            {
                case Level.Verbose: cmdlet.WriteVerbose(item.Message); break;
                case Level.Debug: cmdlet.WriteDebug(item.Message); break;
                case Level.Warning: cmdlet.WriteWarning(item.Message); break;
                case Level.Action: item.Action?.Invoke(); break;
            }
        }
    }
}
