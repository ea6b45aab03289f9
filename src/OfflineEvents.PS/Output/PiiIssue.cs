using OfflineEvents.Core.Pii;

namespace OfflineEvents.PS.Output
{
    /// <summary>
    /// One value that could not be normalized: the TargetObject of its ErrorRecord. It holds the masked
    /// value only, so $Error and logs never receive the plaintext (the row itself is not attached).
    /// </summary>
    public sealed class PiiIssue
    {
        internal PiiIssue(long row, string column, PiiField field, string rule, string maskedValue, string reason)
        {
            Row = row;
            Column = column;
            _field = (int)field;
            Rule = rule;
            MaskedValue = maskedValue;
            Reason = reason;
        }

        /// <summary>1-based position of the object in the input (for Import-Csv: file line minus one, without multi-line fields).</summary>
        public long Row { get; }
        public string Column { get; }
        public PiiField Field => (PiiField)_field;

        // Import-Module lays out the module's public classes before OfflineEvents.Core can be loaded (ModuleInitializer),
        // so no field may be of one of Core's value types: the field holds the number, the property Core's enum.
        private readonly int _field;
        public string Rule { get; }
        public string MaskedValue { get; }
        public string Reason { get; }

        public override string ToString() => $"row {Row}, column '{Column}': {MaskedValue} {Reason}";
    }
}
