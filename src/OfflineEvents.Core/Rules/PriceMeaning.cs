namespace OfflineEvents.Core.Rules
{
    /// <summary>What a row's price is (-PriceIs).</summary>
    public enum PriceMeaning
    {
        /// <summary>The row's total, as TikTok's upload template defines price: a line's unit price is price / quantity.</summary>
        RowTotal,
        /// <summary>The price of one item: the row's total is price x quantity.</summary>
        UnitPrice,
    }
}
