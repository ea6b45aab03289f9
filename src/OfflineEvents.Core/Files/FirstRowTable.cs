using System;

namespace OfflineEvents.Core.Files
{
    /// <summary>
    /// The first row each 64-bit key was seen on: 12 bytes a slot, at most 70% full, so 1.4 million keys take
    /// 25 MB (a Dictionary&lt;ulong, long&gt; takes about 28 bytes a key, and twice that while it grows). Open
    /// addressing with linear probing; the keys are already well-mixed hashes.
    /// Not thread-safe.
    /// </summary>
    internal sealed class FirstRowTable
    {
        private const int InitialSlots = 1 << 12;
        private readonly int _maxKeys;
        private ulong[] _keys;
        private uint[] _rows;
        private bool _hasZero;
        private uint _zeroRow;

        /// <param name="maxKeys">Keys remembered; once full, <see cref="TryRemember"/> refuses new keys.</param>
        public FirstRowTable(int maxKeys)
        {
            if (maxKeys < 1) throw new ArgumentOutOfRangeException(nameof(maxKeys));
            _maxKeys = maxKeys;
            _keys = new ulong[InitialSlots];
            _rows = new uint[InitialSlots];
        }

        public int Count { get; private set; }

        /// <summary>Bytes held by the table now.</summary>
        public long Bytes => _keys.LongLength * (sizeof(ulong) + sizeof(uint));

        /// <summary>
        /// The row <paramref name="key"/> was first seen on, or remembers it with <paramref name="row"/>.
        /// Returns <c>Found</c>, <c>Added</c>, or <c>Full</c> (a new key and no room left).
        /// </summary>
        /// <remarks>Rows past uint.MaxValue are stored as uint.MaxValue; no 50 MB upload file comes near it.</remarks>
        public Remembered TryRemember(ulong key, long row, out long firstRow)
        {
            uint stored = row >= uint.MaxValue ? uint.MaxValue : (uint)row;
            if (key == 0)
            {
                // 0 marks an empty slot, so the one key that equals it lives outside the arrays.
                if (_hasZero)
                {
                    firstRow = _zeroRow;
                    return Remembered.Found;
                }
                firstRow = row;
                if (Count >= _maxKeys) return Remembered.Full;
                _hasZero = true;
                _zeroRow = stored;
                Count++;
                return Remembered.Added;
            }
            int mask = _keys.Length - 1;
            int slot = Slot(key, mask);
            while (_keys[slot] != 0)
            {
                if (_keys[slot] == key)
                {
                    firstRow = _rows[slot];
                    return Remembered.Found;
                }
                slot = (slot + 1) & mask;
            }
            firstRow = row;
            if (Count >= _maxKeys) return Remembered.Full;
            _keys[slot] = key;
            _rows[slot] = stored;
            Count++;
            if (Count > _keys.Length / 10 * 7) Grow();
            return Remembered.Added;
        }

        private void Grow()
        {
            ulong[] oldKeys = _keys;
            uint[] oldRows = _rows;
            _keys = new ulong[oldKeys.Length * 2];
            _rows = new uint[oldKeys.Length * 2];
            int mask = _keys.Length - 1;
            for (int i = 0; i < oldKeys.Length; i++)
            {
                ulong key = oldKeys[i];
                if (key == 0) continue;
                int slot = Slot(key, mask);
                while (_keys[slot] != 0) slot = (slot + 1) & mask;
                _keys[slot] = key;
                _rows[slot] = oldRows[i];
            }
        }

        // Both halves of the key: the keys are already FNV hashes, so folding them is enough.
        private static int Slot(ulong key, int mask) => (int)(key ^ (key >> 32)) & mask;

        public enum Remembered
        {
            Added,
            Found,
            Full,
        }
    }
}
