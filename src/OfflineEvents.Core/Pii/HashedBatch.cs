using System.Collections.Generic;

namespace OfflineEvents.Core.Pii
{
    /// <summary>
    /// Rows <see cref="PiiRowHasher{TRow, TCell}"/> has hashed, in input order: row <c>i</c>'s values are
    /// <see cref="Cells"/> from <c>CellsEnd(i - 1)</c> (0 for the first) up to <see cref="CellsEnd"/>(i).
    /// </summary>
    public sealed class HashedBatch<TRow, TCell>
    {
        private readonly List<TRow> _rows;
        private readonly List<int> _ends;
        private readonly List<HashedCell<TCell>> _cells;

        internal HashedBatch(int capacity)
        {
            _rows = new List<TRow>(capacity);
            _ends = new List<int>(capacity);
            _cells = new List<HashedCell<TCell>>(capacity * 2);
        }

        public IReadOnlyList<TRow> Rows => _rows;

        public IReadOnlyList<HashedCell<TCell>> Cells => _cells;

        /// <summary>The index in <see cref="Cells"/> after row <paramref name="row"/>'s last value.</summary>
        public int CellsEnd(int row) => _ends[row];

        internal int Count => _rows.Count;

        internal void AddCell(HashedCell<TCell> cell) => _cells.Add(cell);

        internal void EndRow(TRow row)
        {
            _rows.Add(row);
            _ends.Add(_cells.Count);
        }

        internal HashedCell<TCell> this[int cell]
        {
            get => _cells[cell];
            set => _cells[cell] = value;
        }
    }
}
