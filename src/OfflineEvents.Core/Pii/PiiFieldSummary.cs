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
}
