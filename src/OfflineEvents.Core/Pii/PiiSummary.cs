using System.Collections.Generic;
using System.Linq;

namespace OfflineEvents.Core.Pii
{
    /// <summary>Counts for one column: what happened to its values.</summary>
    public sealed class PiiFieldSummary
    {
        public PiiFieldSummary(PiiField field, string column)
        {
            Field = field;
            Column = column;
        }

        public PiiField Field { get; }
        public string Column { get; }
        public long Hashed { get; private set; }
        public long RegionAdded { get; private set; }
        public long PassedThrough { get; private set; }
        public long Invalid { get; private set; }
        public long Blank { get; private set; }

        /// <summary>Both hashed and plain values arrived: usually two sources merged into one column.</summary>
        public bool IsMixed => PassedThrough > 0 && Hashed + RegionAdded > 0;

        public void Add(PiiOutcome outcome)
        {
            switch (outcome)
            {
                case PiiOutcome.Hashed: Hashed++; break;
                case PiiOutcome.RegionAdded: RegionAdded++; break;
                case PiiOutcome.PassedThrough: PassedThrough++; break;
                case PiiOutcome.Invalid: Invalid++; break;
                default: Blank++; break;
            }
        }

        public override string ToString() =>
            $"{Field} ('{Column}'): {Hashed} hashed, {RegionAdded} region added, {PassedThrough} passed through, {Invalid} invalid, {Blank} blank";
    }

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
