namespace OfflineEvents.Core.Rules
{
    /// <summary>One source column the module reads, and the field it feeds: what a run says it detected or was told.</summary>
    public sealed class ColumnSource
    {
        public ColumnSource(string field, string column, int index, ColumnSourceKind kind)
        {
            Field = field;
            Column = column;
            Index = index;
            Kind = kind;
        }

        /// <summary>The field (event_type, email, timestamp, ...).</summary>
        public string Field { get; }

        /// <summary>The source column's header, as written.</summary>
        public string Column { get; }

        /// <summary>The column's 0-based position in the header.</summary>
        public int Index { get; }

        /// <summary>How the column was found: TikTok's own name, a usual spelling, or the -ColumnMap.</summary>
        public ColumnSourceKind Kind { get; }

        public override string ToString() => $"'{Pii.PiiMask.InMessage(Column)}' -> {Field}" + (Kind == ColumnSourceKind.ColumnMap ? " (-ColumnMap)" : string.Empty);
    }
}
