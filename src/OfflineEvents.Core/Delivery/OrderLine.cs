namespace OfflineEvents.Core.Delivery
{
    /// <summary>
    /// What one prepared row adds to its event: a contents entry, its share of the value and its identifiers (hashed).
    /// Worked out on a worker; the feeding thread builds the event from its lines (one, or an order's).
    /// </summary>
    internal sealed class OrderLine
    {
        public string ProductId = string.Empty;
        public string ProductCategory = string.Empty;
        public string ProductName = string.Empty;
        public string StoreId = string.Empty;
        public string? Currency;
        public long? Quantity;
        /// <summary>The row's total (price, or price x quantity with -PriceIs UnitPrice); null without a price.</summary>
        public decimal? Total;
        /// <summary>The price of one item (the total / quantity, rounded to 4 places); null without a price.</summary>
        public decimal? UnitPrice;
        /// <summary>The row's distinct valid identifiers (hashed), in column order: TikTok's user fields take arrays.</summary>
        public string[] Emails = System.Array.Empty<string>(), Phones = System.Array.Empty<string>(), ExternalIds = System.Array.Empty<string>();

        // The first of each: what the event id and the repeat check read, as when a row had one column of each.
        public string? Email => Emails.Length > 0 ? Emails[0] : null;
        public string? Phone => Phones.Length > 0 ? Phones[0] : null;
        public string? ExternalId => ExternalIds.Length > 0 ? ExternalIds[0] : null;
        /// <summary>The row's own event_id column, when it has one.</summary>
        public string GivenEventId = string.Empty;

        public bool HasContent => ProductId.Length > 0 || ProductCategory.Length > 0 || ProductName.Length > 0 || Total.HasValue || Quantity.HasValue;

        public bool HasIdentity => Email != null || Phone != null;
    }
}
