

namespace OfflineEvents.PS.Output
{
    /// <summary>
    /// One value that could not be normalized: the TargetObject of its ErrorRecord. It holds the masked
    /// value only, so $Error and logs never receive the plaintext (the row itself is not attached).
    /// </summary>
    public sealed class PiiIssue
    {
        internal PiiIssue(long row, string column, PiiType field, string rule, string maskedValue, string reason)
        {
            Row = row;
            Column = column;
            Field = field;
            Rule = rule;
            MaskedValue = maskedValue;
            Reason = reason;
        }

        /// <summary>1-based position of the object in the input (for Import-Csv: file line minus one, without multi-line fields).</summary>
        public long Row { get; }
        public string Column { get; }
        public PiiType Field { get; }
        public string Rule { get; }
        public string MaskedValue { get; }
        public string Reason { get; }

        public override string ToString() => $"row {Row}, column '{Column}': {MaskedValue} {Reason}";
    }

    /// <summary>A value that could not be normalized; the message is masked.</summary>
    public sealed class InvalidPiiException : System.FormatException
    {
        internal InvalidPiiException(string message) : base(message)
        {
        }
    }
}
