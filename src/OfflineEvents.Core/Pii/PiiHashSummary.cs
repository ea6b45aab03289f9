using System.Collections.Generic;
using System.Linq;

namespace OfflineEvents.Core.Pii
{
    /// <summary>What a hashing run did, per column.</summary>
    public sealed class PiiHashSummary
    {
        private readonly List<PiiFieldSummary> _fields = new List<PiiFieldSummary>();

        public long Rows { get; internal set; }
        public IReadOnlyList<PiiFieldSummary> Fields => _fields;
        public long Invalid => _fields.Sum(f => f.Invalid);

        public PiiFieldSummary For(PiiField field, string column)
        {
            foreach (var f in _fields)
            {
                if (f.Field == field && f.Column == column) return f;
            }
            var created = new PiiFieldSummary(field, column);
            _fields.Add(created);
            return created;
        }

        public void CountRow() => Rows++;

        /// <summary>Rows the -EventTypeMap maps to no event: not written (of <see cref="Rows"/>).</summary>
        public long Skipped { get; private set; }

        public void CountSkipped() => Skipped++;

        public override string ToString() =>
            $"{Rows} rows" + (Skipped > 0 ? $" ({Skipped} skipped)" : string.Empty) + (_fields.Count == 0 ? "; no email, phone or external id column" : "; " + string.Join("; ", _fields));
    }
}
