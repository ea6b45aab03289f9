using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using OfflineEvents.Core.Files;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>
    /// The events a run has taken, so that an event repeated anywhere in its input is sent once, in bounded memory.
    /// The newest keys are in a HashSet; when it holds <see cref="InMemory"/>, they are sorted and written to a temporary
    /// file (a run) with a Bloom filter and the first key of every 4 KB block kept in memory, so a lookup touches disk
    /// only on a Bloom hit, and then reads one block. Runs are merged like a binary counter (a run never stays on top
    /// of a smaller one), so there are at most log2(spills) + 1 of them. Exact: a Bloom hit is confirmed in the run,
    /// never taken as a repeat by itself. Memory: the HashSet (about 8 MB at the default 250,000 keys), a 4 MB sort
    /// buffer, and 1.5 bytes per key spilled (Bloom filter and block index; 10 MB for 7 million events). Measured on the
    /// 1 GB benchmark export (7,047,530 events, Send -Path -WhatIf): peak working set 569 MB with every key in a HashSet,
    /// 251 MB with 500,000 in memory, 240 MB with 100,000 (208 MB on the 50 MB export, which does not spill). The files are
    /// removed on <see cref="Dispose"/> (DeleteOnClose); those of a killed run are removed by the next run that spills.
    /// A folder that cannot take them leaves every key in memory, with one warning. Thread-safe (one feeding thread in
    /// practice, and a stop on another).
    /// </summary>
    internal sealed class SeenEvents : IDisposable
    {
        public const int DefaultInMemory = 250_000;

        private readonly HashSet<EventKey> _recent = new HashSet<EventKey>();
        private readonly List<SpilledRun> _runs = new List<SpilledRun>(); // oldest (largest) first
        private readonly string _folder;
        private readonly Action<string>? _warn;
        private readonly object _gate = new object();
        private EventKey[]? _sortBuffer;
        private bool _staleRemoved, _spillFailed, _disposed;

        /// <param name="inMemory">Keys kept in memory before they are spilled to a temporary file.</param>
        /// <param name="folder">Where the temporary files go; default: the system's temporary folder (TMPDIR).</param>
        /// <param name="warn">Told once when the folder cannot take them (the keys then stay in memory).</param>
        public SeenEvents(int inMemory = DefaultInMemory, string? folder = null, Action<string>? warn = null)
        {
            InMemory = inMemory >= 1 ? inMemory : throw new ArgumentOutOfRangeException(nameof(inMemory), "At least one key must fit in memory.");
            // Named in messages as the folder is spelt (GetTempPath ends in a separator; a root keeps its own).
            string chosen = folder ?? Path.GetTempPath();
            string trimmed = chosen.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            _folder = trimmed.Length == 0 || trimmed.EndsWith(":", StringComparison.Ordinal) ? chosen : trimmed;
            _warn = warn;
        }

        public int InMemory { get; }

        /// <summary>Distinct keys taken.</summary>
        public long Count { get; private set; }

        /// <summary>Runs on disk now (for tests and diagnostics).</summary>
        public int Runs
        {
            get
            {
                lock (_gate) return _runs.Count;
            }
        }

        /// <summary>The temporary files' name before their random suffix (TempFiles.NewName).</summary>
        public string FileStem => Path.Combine(_folder, "OfflineEvents.PS.seen-events");

        public bool Contains(EventKey key)
        {
            lock (_gate) return Has(key);
        }

        /// <summary>Takes the key; false when it was taken before.</summary>
        public bool Add(EventKey key)
        {
            lock (_gate)
            {
                if (Has(key)) return false;
                _recent.Add(key);
                Count++;
                if (_recent.Count >= InMemory && !_spillFailed && !_disposed) Spill();
                return true;
            }
        }

        private bool Has(EventKey key)
        {
            if (_recent.Contains(key)) return true;
            try
            {
                // Newest first: a repeat is likelier to be near its first.
                for (int i = _runs.Count - 1; i >= 0; i--)
                {
                    if (_runs[i].Contains(key)) return true;
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                // Without the answer the run could count a repeat as new, or an event as sent twice: it has to stop.
                throw new TemporaryFileException(_folder, $"The run's check for repeated events could not read its temporary files in '{_folder}' ({ex.Message}).", ex);
            }
            return false;
        }

        private void Spill()
        {
            if (!_staleRemoved)
            {
                _staleRemoved = true;
                TempFiles.RemoveStale(FileStem);
            }
            var keys = _sortBuffer ??= new EventKey[InMemory];
            int n = _recent.Count;
            _recent.CopyTo(keys);
            Array.Sort(keys, 0, n);
            SpilledRun? run = null;
            try
            {
                run = SpilledRun.Write(FileStem, n, Sorted(keys, n));
                _runs.Add(run);
                while (_runs.Count >= 2 && _runs[_runs.Count - 1].Count >= _runs[_runs.Count - 2].Count)
                {
                    var newer = _runs[_runs.Count - 1];
                    var older = _runs[_runs.Count - 2];
                    var merged = SpilledRun.Write(FileStem, older.Count + newer.Count, Merge(older.ReadAll(), newer.ReadAll()));
                    _runs.RemoveRange(_runs.Count - 2, 2);
                    _runs.Add(merged);
                    older.Dispose();
                    newer.Dispose();
                }
            }
            catch (SpillReadException ex)
            {
                // A run written before cannot be read back: as for a lookup, the run has to stop. Until it has, keys stay
                // in memory (no spill, which would read that run again).
                _spillFailed = true;
                throw new TemporaryFileException(_folder, $"The run's check for repeated events could not read its temporary files in '{_folder}' ({ex.InnerException!.Message}).", ex.InnerException);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                // What is on disk stays valid: a run is listed only once written, and a failed merge leaves its two runs.
                _spillFailed = true;
                _warn?.Invoke($"The run's check for repeated events could not write its temporary files in '{_folder}' ({ex.Message}): "
                    + "it keeps the rest of its events in memory instead, about 30 MB per million.");
                if (run == null) return; // these keys are on no disk: they stay here
            }
            _recent.Clear(); // keeps its capacity: the next keys fill the same memory
        }

        private static IEnumerable<EventKey> Sorted(EventKey[] keys, int n)
        {
            for (int i = 0; i < n; i++) yield return keys[i];
        }

        private static IEnumerable<EventKey> Merge(IEnumerable<EventKey> a, IEnumerable<EventKey> b)
        {
            using var x = a.GetEnumerator();
            using var y = b.GetEnumerator();
            bool hasX = x.MoveNext(), hasY = y.MoveNext();
            while (hasX && hasY)
            {
                int c = x.Current.CompareTo(y.Current);
                if (c <= 0)
                {
                    yield return x.Current;
                    hasX = x.MoveNext();
                    if (c == 0) hasY = y.MoveNext(); // runs hold distinct keys; kept once all the same
                }
                else
                {
                    yield return y.Current;
                    hasY = y.MoveNext();
                }
            }
            for (; hasX; hasX = x.MoveNext()) yield return x.Current;
            for (; hasY; hasY = y.MoveNext()) yield return y.Current;
        }

        /// <summary>Removes the temporary files and forgets every key. A set used after this remembers in memory only.</summary>
        public void Dispose()
        {
            lock (_gate)
            {
                if (_disposed) return;
                _disposed = true;
                foreach (var run in _runs) run.Dispose();
                _runs.Clear();
                _recent.Clear();
                _sortBuffer = null;
            }
        }

        /// <summary>
        /// Sorted keys in a temporary file (16 bytes each: High, Low, little-endian), a blocked Bloom filter (12 bits a key,
        /// the 7 probes of a key in one 64-byte block: one cache miss per lookup; about 0.5% false hits) and the first key
        /// of every block of 256 keys.
        /// </summary>
        private sealed class SpilledRun : IDisposable
        {
            private const int KeySize = 16;
            private const int KeysPerBlock = 256;
            private const int BitsPerKey = 12;
            private const int Probes = 7;

            private readonly FileStream _file;
            private readonly ulong[] _bloom;
            private readonly uint _bloomBlocks;
            private readonly EventKey[] _firstOfBlock;
            private readonly byte[] _block = new byte[KeysPerBlock * KeySize];

            private SpilledRun(FileStream file, long count)
            {
                _file = file;
                Count = count;
                _bloomBlocks = (uint)Math.Min(uint.MaxValue, Math.Max(1, (count * BitsPerKey + 511) / 512));
                _bloom = new ulong[_bloomBlocks * 8L];
                _firstOfBlock = new EventKey[(count + KeysPerBlock - 1) / KeysPerBlock];
            }

            public long Count { get; }

            public static SpilledRun Write(string stem, long count, IEnumerable<EventKey> sortedKeys)
            {
                string path = TempFiles.NewName(stem);
                var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
                try
                {
                    var run = new SpilledRun(file, count);
                    var buffer = new byte[64 * 1024];
                    int used = 0;
                    long i = 0;
                    foreach (var key in sortedKeys)
                    {
                        if (i % KeysPerBlock == 0) run._firstOfBlock[i / KeysPerBlock] = key;
                        run.AddToBloom(key);
                        BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(used), key.High);
                        BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(used + 8), key.Low);
                        used += KeySize;
                        if (used == buffer.Length)
                        {
                            file.Write(buffer, 0, used);
                            used = 0;
                        }
                        i++;
                    }
                    if (used > 0) file.Write(buffer, 0, used);
                    file.Flush();
                    if (i != count) throw new InvalidOperationException($"A run of {count} keys got {i}.");
                    return run;
                }
                catch
                {
                    file.Dispose();
                    throw;
                }
            }

            private int BloomBlock(EventKey key) => (int)(((key.High >> 32) * _bloomBlocks) >> 32);

            private void AddToBloom(EventKey key)
            {
                int start = BloomBlock(key) * 8;
                ulong bits = key.Low;
                for (int p = 0; p < Probes; p++, bits >>= 9)
                {
                    int bit = (int)(bits & 511);
                    _bloom[start + (bit >> 6)] |= 1UL << (bit & 63);
                }
            }

            private bool MayHave(EventKey key)
            {
                int start = BloomBlock(key) * 8;
                ulong bits = key.Low;
                for (int p = 0; p < Probes; p++, bits >>= 9)
                {
                    int bit = (int)(bits & 511);
                    if ((_bloom[start + (bit >> 6)] & (1UL << (bit & 63))) == 0) return false;
                }
                return true;
            }

            public bool Contains(EventKey key)
            {
                if (!MayHave(key)) return false;
                // The last block whose first key is not above this one.
                int lo = 0, hi = _firstOfBlock.Length - 1, block = -1;
                while (lo <= hi)
                {
                    int mid = (lo + hi) >> 1;
                    if (_firstOfBlock[mid].CompareTo(key) <= 0)
                    {
                        block = mid;
                        lo = mid + 1;
                    }
                    else
                    {
                        hi = mid - 1;
                    }
                }
                if (block < 0) return false;
                int keys = (int)Math.Min(KeysPerBlock, Count - (long)block * KeysPerBlock);
                ReadAt((long)block * KeysPerBlock * KeySize, _block, keys * KeySize);
                lo = 0;
                hi = keys - 1;
                while (lo <= hi)
                {
                    int mid = (lo + hi) >> 1;
                    int c = KeyAt(_block, mid).CompareTo(key);
                    if (c == 0) return true;
                    if (c < 0) lo = mid + 1;
                    else hi = mid - 1;
                }
                return false;
            }

            /// <summary>Every key in order, read in 64 KB pieces (for a merge).</summary>
            public IEnumerable<EventKey> ReadAll()
            {
                var buffer = new byte[64 * 1024];
                long offset = 0, total = Count * KeySize;
                while (offset < total)
                {
                    int length = (int)Math.Min(buffer.Length, total - offset);
                    try
                    {
                        ReadAt(offset, buffer, length);
                    }
                    catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                    {
                        throw new SpillReadException(ex); // told apart from the merge's failure to write
                    }
                    offset += length;
                    for (int i = 0; i < length / KeySize; i++) yield return KeyAt(buffer, i);
                }
            }

            private static EventKey KeyAt(byte[] buffer, int index) =>
                new EventKey(BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(index * KeySize)), BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(index * KeySize + 8)));

            private void ReadAt(long offset, byte[] buffer, int length)
            {
                _file.Seek(offset, SeekOrigin.Begin);
                int read = 0;
                while (read < length)
                {
                    int n = _file.Read(buffer, read, length - read);
                    if (n <= 0) throw new IOException($"The temporary file '{_file.Name}' ended early.");
                    read += n;
                }
            }

            public void Dispose() => TempFiles.CloseQuietly(_file);
        }

        /// <summary>A spilled run could not be read back during a merge.</summary>
        private sealed class SpillReadException : Exception
        {
            public SpillReadException(Exception inner) : base(inner.Message, inner) { }
        }
    }
}
