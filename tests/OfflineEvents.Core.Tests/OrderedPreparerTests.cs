using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OfflineEvents.Core.Delivery;
using Xunit;

namespace OfflineEvents.Core.Tests;

public class OrderedPreparerTests
{
    /// <summary>A scheduler whose workers never come: only the feeding thread can prepare.</summary>
    private sealed class NoWorkers : TaskScheduler
    {
        protected override IEnumerable<Task> GetScheduledTasks() => Array.Empty<Task>();
        protected override void QueueTask(Task task) { }
        protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;
    }

    /// <summary>A scheduler that runs each chunk's task at once, as if a worker had been waiting for it.</summary>
    private sealed class EagerWorkers : TaskScheduler
    {
        protected override IEnumerable<Task> GetScheduledTasks() => Array.Empty<Task>();
        protected override void QueueTask(Task task) => TryExecuteTask(task);
        protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => TryExecuteTask(task);
    }

    /// <summary>
    /// Each chunk on a thread of its own, which has taken the chunk (prepared its first row) before the feeding
    /// thread goes on: the feeding thread can only wait for it.
    /// </summary>
    private sealed class TakenWorkers : TaskScheduler
    {
        public readonly AutoResetEvent Started = new(false);
        protected override IEnumerable<Task> GetScheduledTasks() => Array.Empty<Task>();
        protected override void QueueTask(Task task)
        {
            new Thread(() => TryExecuteTask(task)).Start();
            Assert.True(Started.WaitOne(TimeSpan.FromSeconds(10)), "the worker did not start");
        }
        protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;
    }

    // A bounded wait: a preparer that stopped preparing on the feeding thread fails the test instead of hanging it.
    private static void Wait(Task task)
    {
        if (!task.Wait(TimeSpan.FromSeconds(30))) throw new TimeoutException("the chunk was never prepared");
    }

    private static (List<long> Merged, ConcurrentDictionary<long, int> Prepared, ConcurrentDictionary<long, int> Threads) Run(
        int rows, TaskScheduler? workers, Action<long>? onPrepare = null)
    {
        var shape = new EventShape(Rows.Header);
        var merged = new List<long>();
        var prepared = new ConcurrentDictionary<long, int>();
        var threads = new ConcurrentDictionary<long, int>();
        var preparer = new OrderedPreparer(_ => null!, (_, row) =>
        {
            onPrepare?.Invoke(row.Row);
            prepared.AddOrUpdate(row.Row, 1, (_, n) => n + 1);
            threads[row.Row] = Environment.CurrentManagedThreadId;
            row.EventName = "prepared";
        }, row => merged.Add(row.EventName == "prepared" ? row.Row : -row.Row), Wait, workers);
        for (long i = 1; i <= rows; i++) preparer.Add(new PreparedEvent(shape, i, i + 1, Rows.Row((int)i), "test"));
        preparer.Flush();
        return (merged, prepared, threads);
    }

    [Fact]
    public void Without_workers_the_feeding_thread_prepares_every_chunk_in_order()
    {
        var (merged, prepared, threads) = Run(3000, new NoWorkers());
        Assert.Equal(Enumerable.Range(1, 3000).Select(i => (long)i), merged);
        Assert.All(prepared.Values, n => Assert.Equal(1, n));
        Assert.All(threads.Values, t => Assert.Equal(Environment.CurrentManagedThreadId, t));
    }

    [Fact]
    public void With_workers_every_row_is_prepared_once_and_merged_in_order()
    {
        var (merged, prepared, _) = Run(20_000, null, row => { if (row % 97 == 0) Thread.SpinWait(20_000); });
        Assert.Equal(Enumerable.Range(1, 20_000).Select(i => (long)i), merged);
        Assert.Equal(20_000, prepared.Count);
        Assert.All(prepared.Values, n => Assert.Equal(1, n));
    }

    [Theory]
    [InlineData("pool")]
    [InlineData("none")]
    [InlineData("eager")]
    public void A_failure_while_preparing_reaches_the_feeding_thread_unwrapped(string workers)
    {
        TaskScheduler? scheduler = workers switch { "none" => new NoWorkers(), "eager" => new EagerWorkers(), _ => null };
        var error = Assert.Throws<InvalidOperationException>(() =>
            Run(3000, scheduler, row => { if (row == 700) throw new InvalidOperationException("row 700"); }));
        Assert.Equal("row 700", error.Message);
    }

    [Fact]
    public void A_worker_that_fails_while_the_feeding_thread_waits_for_it_surfaces_its_own_exception()
    {
        var workers = new TakenWorkers();
        int feeding = Environment.CurrentManagedThreadId;
        var error = Assert.Throws<InvalidOperationException>(() => Run(3000, workers, row =>
        {
            if (Environment.CurrentManagedThreadId == feeding) return;
            if ((row - 1) % 256 == 0) workers.Started.Set();
            if (row == 700)
            {
                Thread.Sleep(50);
                throw new InvalidOperationException("row 700");
            }
        }));
        Assert.Equal("row 700", error.Message);
    }
}
