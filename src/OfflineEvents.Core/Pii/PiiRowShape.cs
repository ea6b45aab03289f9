using System.Collections.Generic;

namespace OfflineEvents.Core.Pii
{
    /// <summary>What <see cref="PiiRowHasher{TRow, TCell}"/> reads in rows of one header: the PII columns, the region and event columns.</summary>
    public sealed class PiiRowShape
    {
        internal PiiRowShape(IReadOnlyList<string> headers, IReadOnlyList<PiiColumn> columns, int regionIndex, int eventIndex, string description)
        {
            Headers = headers;
            Columns = columns;
            RegionIndex = regionIndex;
            EventIndex = eventIndex;
            Description = description;
        }

        public IReadOnlyList<string> Headers { get; }

        /// <summary>The columns hashed, in the order their values are given to <see cref="PiiRowHasher{TRow, TCell}.Add"/>.</summary>
        public IReadOnlyList<PiiColumn> Columns { get; }

        /// <summary>The column of each row's region; -1 when none.</summary>
        public int RegionIndex { get; }

        /// <summary>The event column the event map rewrites; -1 when there is no map or no such column.</summary>
        public int EventIndex { get; }

        /// <summary>Which column feeds which field, as the other cmdlets say it (ColumnMap.Describe).</summary>
        public string Description { get; }
    }
}
