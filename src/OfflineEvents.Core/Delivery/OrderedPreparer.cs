using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>
    /// Prepares rows on worker threads in chunks while the feeding thread reads the next ones, and hands the
    /// results back on the feeding thread in input order. Shared by Send-OfflineEvent and Export-OfflineEventFile.
    /// </summary>
    internal sealed class OrderedPreparer
    {
        private const int ChunkRows = 256;
        private const int MaxChunksInFlight = 4;

        private readonly Action<EventPreparer, PreparedEvent> _prepare;
        private readonly Action<PreparedEvent> _merge;
        private readonly Action<Task> _wait;
        private readonly Func<EventShape, EventPreparer> _createPreparer;
        private readonly Queue<(List<PreparedEvent> Rows, Task Work)> _chunks = new Queue<(List<PreparedEvent>, Task)>();
        private List<PreparedEvent> _chunk = new List<PreparedEvent>(ChunkRows);

        /// <param name="createPreparer">Makes a preparer for a shape (one per chunk and shape: preparers are not thread-safe).</param>
        /// <param name="prepare">Runs on a worker, for every row the reader did not reject.</param>
        /// <param name="merge">Runs on the feeding thread, for every row, in input order.</param>
        /// <param name="wait">Blocks the feeding thread until a chunk is done (a host may pump its own work meanwhile).</param>
        public OrderedPreparer(Func<EventShape, EventPreparer> createPreparer, Action<EventPreparer, PreparedEvent> prepare, Action<PreparedEvent> merge, Action<Task> wait)
        {
            _createPreparer = createPreparer;
            _prepare = prepare;
            _merge = merge;
            _wait = wait;
        }

        public void Add(PreparedEvent row)
        {
            _chunk.Add(row);
            if (_chunk.Count >= ChunkRows) Dispatch();
        }

        /// <summary>Prepares and merges everything added so far.</summary>
        public void Flush()
        {
            Dispatch();
            while (_chunks.Count > 0) Merge(_chunks.Dequeue());
        }

        private void Dispatch()
        {
            if (_chunk.Count == 0) return;
            var rows = _chunk;
            _chunk = new List<PreparedEvent>(ChunkRows);
            _chunks.Enqueue((rows, Task.Run(() => PrepareChunk(rows))));
            while (_chunks.Count > MaxChunksInFlight || (_chunks.Count > 0 && _chunks.Peek().Work.IsCompleted))
            {
                Merge(_chunks.Dequeue());
            }
        }

        private void PrepareChunk(List<PreparedEvent> rows)
        {
            EventPreparer? preparer = null;
            EventShape? shape = null;
            foreach (var row in rows)
            {
                if (row.Errors != null) continue; // rejected by the reader
                if (!ReferenceEquals(row.Shape, shape))
                {
                    shape = row.Shape;
                    preparer = _createPreparer(shape);
                }
                _prepare(preparer!, row);
            }
        }

        private void Merge((List<PreparedEvent> Rows, Task Work) chunk)
        {
            if (!chunk.Work.IsCompleted) _wait(chunk.Work);
            chunk.Work.GetAwaiter().GetResult();
            foreach (var row in chunk.Rows) _merge(row);
        }
    }
}
