using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>
    /// Prepares rows on worker threads in chunks while the feeding thread reads the next ones, and hands the
    /// results back on the feeding thread in input order. Shared by Send-OfflineEvent and Export-OfflineEventFile.
    /// </summary>
    /// <remarks>
    /// When the feeding thread must wait for the oldest chunk, it first prepares queued chunks no worker has taken
    /// yet. Blocking instead left a core idle: with the oldest chunk on one worker and the others done, nothing
    /// could start until the feeding thread had read the next chunk (a 50 MB export kept 1.6 of 2 cores busy).
    /// </remarks>
    internal sealed class OrderedPreparer
    {
        private const int ChunkRows = 256;
        private const int MaxChunksInFlight = 4;

        private readonly Action<EventPreparer, PreparedEvent> _prepare;
        private readonly Action<PreparedEvent> _merge;
        private readonly Action<Task> _wait;
        private readonly Func<EventShape, EventPreparer> _createPreparer;
        private readonly TaskScheduler _workers;
        private readonly Queue<Chunk> _chunks = new Queue<Chunk>();
        private List<PreparedEvent> _rows = new List<PreparedEvent>(ChunkRows);

        /// <param name="createPreparer">Makes a preparer for a shape (one per chunk and shape: preparers are not thread-safe).</param>
        /// <param name="prepare">Runs on a worker or the feeding thread, for every row the reader did not reject.</param>
        /// <param name="merge">Runs on the feeding thread, for every row, in input order.</param>
        /// <param name="wait">Blocks the feeding thread until a chunk is done (a host may pump its own work meanwhile).</param>
        /// <param name="workers">Where chunks are prepared: the thread pool (tests pass their own).</param>
        public OrderedPreparer(Func<EventShape, EventPreparer> createPreparer, Action<EventPreparer, PreparedEvent> prepare, Action<PreparedEvent> merge, Action<Task> wait,
            TaskScheduler? workers = null)
        {
            _workers = workers ?? TaskScheduler.Default;
            _createPreparer = createPreparer;
            _prepare = prepare;
            _merge = merge;
            _wait = wait;
        }

        public void Add(PreparedEvent row)
        {
            _rows.Add(row);
            if (_rows.Count >= ChunkRows) Dispatch();
        }

        /// <summary>Prepares and merges everything added so far.</summary>
        public void Flush()
        {
            Dispatch();
            while (_chunks.Count > 0) Merge(_chunks.Dequeue());
        }

        private void Dispatch()
        {
            if (_rows.Count == 0) return;
            var chunk = new Chunk(_rows);
            _rows = new List<PreparedEvent>(ChunkRows);
            chunk.Work = Task.Factory.StartNew(() => TryPrepare(chunk), CancellationToken.None, TaskCreationOptions.DenyChildAttach, _workers);
            _chunks.Enqueue(chunk);
            while (_chunks.Count > MaxChunksInFlight || (_chunks.Count > 0 && _chunks.Peek().IsReady))
            {
                Merge(_chunks.Dequeue());
            }
        }

        /// <summary>Prepares the chunk unless another thread has taken it.</summary>
        private void TryPrepare(Chunk chunk)
        {
            if (Interlocked.Exchange(ref chunk.Taken, 1) != 0) return;
            EventPreparer? preparer = null;
            EventShape? shape = null;
            foreach (var row in chunk.Rows)
            {
                if (row.Errors != null) continue; // rejected by the reader
                if (!ReferenceEquals(row.Shape, shape))
                {
                    shape = row.Shape;
                    preparer = _createPreparer(shape);
                }
                _prepare(preparer!, row);
            }
            Volatile.Write(ref chunk.Done, true);
        }

        private void Merge(Chunk chunk)
        {
            // The oldest chunk first: taking it here means no worker had started it.
            TryPrepare(chunk);
            foreach (var waiting in _chunks)
            {
                if (Volatile.Read(ref chunk.Done)) break;
                TryPrepare(waiting);
            }
            if (!chunk.IsReady)
            {
                try
                {
                    _wait(chunk.Work!);
                }
                catch (AggregateException) when (chunk.Work!.IsFaulted)
                {
                    // Rethrown unwrapped just below.
                }
            }
            // A worker's exception surfaces here; a chunk prepared on this thread already threw above.
            if (!Volatile.Read(ref chunk.Done)) chunk.Work!.GetAwaiter().GetResult();
            foreach (var row in chunk.Rows) _merge(row);
        }

        private sealed class Chunk
        {
            public Chunk(List<PreparedEvent> rows) => Rows = rows;

            public List<PreparedEvent> Rows { get; }

            public Task? Work;

            /// <summary>1 once a thread has started preparing the chunk.</summary>
            public int Taken;

            /// <summary>The chunk's rows are prepared (set by whichever thread prepared them).</summary>
            public bool Done;

            /// <summary>Prepared, or its worker has ended (a failure is rethrown when it is merged).</summary>
            public bool IsReady => Volatile.Read(ref Done) || Work!.IsCompleted;
        }
    }
}
