using System.Collections.Generic;
using OfflineEvents.Core.Rules;

namespace OfflineEvents.Core.Pii
{
    /// <summary>
    /// Which columns of a row hold PII for <see cref="PiiRowHasher{TRow, TCell}"/>: the resolver Send-OfflineEvent uses
    /// (the <see cref="Mapping"/>, then the usual spellings), or columns named outright per field, which replace
    /// detection for their field (a <see cref="Mapping"/> entry for the field adds to them).
    /// </summary>
    public sealed class PiiColumnChoice
    {
        /// <summary>Columns named outright as emails (matched as <see cref="ColumnMapping.FindHeader"/> does); null: detected.</summary>
        public IReadOnlyList<string>? EmailColumns { get; set; }

        public IReadOnlyList<string>? PhoneColumns { get; set; }

        public IReadOnlyList<string>? ExternalIdColumns { get; set; }

        /// <summary>A column holding each row's region (national phone numbers); null: the region column found by name.</summary>
        public string? RegionColumn { get; set; }

        /// <summary>The -ColumnMap, as for the other row cmdlets.</summary>
        public ColumnMapping? Mapping { get; set; }

        /// <summary>The export's own event values to TikTok events (<see cref="RowRuleOptions.EventTypeMap"/>); null: events are not read.</summary>
        public IReadOnlyDictionary<string, string?>? EventTypeMap { get; set; }

        /// <summary>How the host names a choice in messages (e.g. "-EmailProperty"); by default the field's name.</summary>
        public System.Func<PiiField, string> DescribeOption { get; set; } = field => field.ToString();

        /// <summary>How the host names <see cref="RegionColumn"/> in messages.</summary>
        public string RegionOption { get; set; } = "region";

        internal IReadOnlyList<string>? Named(PiiField field) => field switch
        {
            PiiField.Email => EmailColumns,
            PiiField.Phone => PhoneColumns,
            _ => ExternalIdColumns,
        };
    }
}
