namespace OfflineEvents.Core.Pii
{
    /// <summary>
    /// The result for one value. <see cref="Value"/> is the hash (or null); <see cref="Masked"/> and
    /// <see cref="Reason"/> are safe to print: they never contain the plaintext.
    /// </summary>
    public readonly struct PiiResult
    {
        internal PiiResult(PiiOutcome outcome, string? value, string? rule = null, string? reason = null, string? masked = null)
        {
            Outcome = outcome;
            Value = value;
            Rule = rule;
            Reason = reason;
            Masked = masked;
        }

        public PiiOutcome Outcome { get; }

        /// <summary>The SHA-256 hex hash; null when blank or invalid.</summary>
        public string? Value { get; }

        /// <summary>A <see cref="PiiRules"/> id when invalid.</summary>
        public string? Rule { get; }

        /// <summary>Why the value is invalid, without the value.</summary>
        public string? Reason { get; }

        /// <summary>The value masked for messages (<c>j***@e***.com</c>, <c>+44 •••• •••958</c>); set when invalid.</summary>
        public string? Masked { get; }

        public bool IsInvalid => Outcome == PiiOutcome.Invalid;
    }
}
