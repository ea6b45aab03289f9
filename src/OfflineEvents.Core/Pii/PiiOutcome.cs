namespace OfflineEvents.Core.Pii
{
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
}
