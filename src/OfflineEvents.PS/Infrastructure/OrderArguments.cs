using System;
using OfflineEvents.Core.Delivery;
using OfflineEvents.Core.Rules;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>-GroupBy and -PriceIs: strings, not the core's enums, as PowerShell reads parameter types before the module's resolver can load the core.</summary>
    internal static class OrderArguments
    {
        public const string Order = "Order";
        public const string None = "None";
        public const string RowTotal = "RowTotal";
        public const string UnitPrice = "UnitPrice";

        public static EventGrouping ParseGroupBy(string value) =>
            string.Equals(value, None, StringComparison.OrdinalIgnoreCase) ? EventGrouping.None : EventGrouping.Order;

        public static PriceMeaning ParsePriceIs(string value) =>
            string.Equals(value, UnitPrice, StringComparison.OrdinalIgnoreCase) ? PriceMeaning.UnitPrice : PriceMeaning.RowTotal;
    }
}
