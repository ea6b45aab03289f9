namespace OfflineEvents.Core.Rules
{
    /// <summary>How a source column was matched to its field.</summary>
    public enum ColumnSourceKind
    {
        /// <summary>The header is the field's own name (TikTok's manual-upload name for the upload columns).</summary>
        Name,
        /// <summary>The header is one of the usual spellings of the field (<see cref="ColumnAliases"/>).</summary>
        Alias,
        /// <summary>The -ColumnMap named the column.</summary>
        ColumnMap,
    }
}
