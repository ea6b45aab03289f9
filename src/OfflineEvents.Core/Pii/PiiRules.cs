namespace OfflineEvents.Core.Pii
{
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
}
