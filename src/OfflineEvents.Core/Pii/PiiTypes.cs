namespace OfflineEvents.Core.Pii
{
    /// <summary>The identifiers TikTok matches offline events on.</summary>
    public enum PiiField
    {
        Email,
        Phone,
        ExternalId,
    }

    /// <summary>What happened to one value.</summary>
    public enum PiiOutcome
    {
        /// <summary>Blank in, blank out: nothing to match on, never hashed.</summary>
        Blank,
        /// <summary>Normalized and hashed.</summary>
        Hashed,
        /// <summary>A national phone number: the country code came from the row's or the default region.</summary>
        RegionAdded,
        /// <summary>Already a SHA-256 hex hash: passed through, lowercased.</summary>
        PassedThrough,
        /// <summary>Could not be normalized: left blank, never hashed as-is.</summary>
        Invalid,
    }

    /// <summary>Stable rule ids for values that cannot be normalized; Test-OfflineEventFile reports the same ids.</summary>
    public static class PiiRules
    {
        public const string EmailInvalid = "EmailInvalid";
        public const string PhoneInvalid = "PhoneInvalid";
        public const string PhoneNeedsRegion = "PhoneNeedsRegion";
        public const string HashNotSha256 = "HashNotSha256";
        /// <summary>The value holds U+FFFD: text decoded in the wrong encoding (Import-Csv on a Windows-1252 file), whose hash never matches.</summary>
        public const string TextMisdecoded = "TextMisdecoded";
    }

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
