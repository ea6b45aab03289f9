using System.Collections.Generic;

namespace OfflineEvents.Core.Rules
{
    /// <summary>The manual-upload columns (shared doc §7), in TikTok's order.</summary>
    public static class OfflineEventColumns
    {
        public const string EventType = "event_type";
        public const string Email = "email";
        public const string Phone = "phone";
        public const string Timestamp = "timestamp";
        public const string Price = "price";
        public const string Currency = "currency";
        public const string TransactionCategory = "transaction_category";
        public const string OrderId = "order_id";
        public const string Quantity = "quantity";
        public const string ProductId = "product_id";
        public const string ProductCategory = "product_category";
        public const string StoreId = "store_id";

        /// <summary>Not in the manual upload; the Events API takes them (Send-OfflineEvent reads them when present).</summary>
        public const string ExternalId = "external_id";

        /// <summary>Not in the manual upload: a caller's own event id, sent as is instead of a derived one.</summary>
        public const string EventId = "event_id";

        // Not in the manual upload: fields an export may carry that the module reads into the ones above.

        /// <summary>The date part of a timestamp given in two columns (with <see cref="Time"/>).</summary>
        public const string Date = "date";

        /// <summary>The time-of-day part of a timestamp given in two columns (with <see cref="Date"/>).</summary>
        public const string Time = "time";

        /// <summary>The row's own time zone (IANA, Windows or Rails names), for timestamps without an offset.</summary>
        public const string TimeZone = "time_zone";

        /// <summary>The row's own region (ISO 3166 code) for phone numbers written without a country code.</summary>
        public const string Region = "region";

        /// <summary>A product's name, sent as the content's name.</summary>
        public const string ProductName = "product_name";

        /// <summary>The columns beside TikTok's that a timestamp may come from (date and time, time_zone): matched by exact name too.</summary>
        public static IReadOnlyList<string> TimeParts { get; } = new[] { Date, Time, TimeZone };

        public static IReadOnlyList<string> All { get; } = new[]
        {
            EventType, Email, Phone, Timestamp, Price, Currency, TransactionCategory, OrderId, Quantity, ProductId, ProductCategory, StoreId,
        };
    }
}
