namespace OfflineEvents.Core.Delivery
{
    /// <summary>Which input columns a reject file carries (-RejectColumn).</summary>
    public enum RejectColumns
    {
        /// <summary>Only the columns the module reads (under their standard names), identifiers hashed or masked.</summary>
        Read,

        /// <summary>Every input column, as read: columns the module does not read (names, addresses, notes) stay plaintext.</summary>
        All,
    }
}
