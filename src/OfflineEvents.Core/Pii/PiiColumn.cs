namespace OfflineEvents.Core.Pii
{
    /// <summary>One column of a row shape that holds PII, and the counts of what happened to its values.</summary>
    public sealed class PiiColumn
    {
        internal PiiColumn(int index, string name, PiiField field, PiiFieldSummary stats)
        {
            Index = index;
            Name = name;
            Field = field;
            Stats = stats;
        }

        /// <summary>The column's position in the row's header (-1 for -Value strings).</summary>
        public int Index { get; }

        public string Name { get; }

        public PiiField Field { get; }

        public PiiFieldSummary Stats { get; }
    }
}
