using System;
using System.Globalization;
using OfflineEvents.Core.Pii;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>
    /// Deterministic event ids, so that a retry or a rerun of the same export is deduplicated by TikTok (same
    /// event set + event + event_id). A row's own event_id is used as given. Otherwise the id is "oe1-" and the
    /// first 32 hex digits of SHA-256 over, joined by '|':
    /// with an order id: "v1", event, order_id, product_id, event_time (Unix seconds);
    /// without one: "v1", event, event_time, email hash, phone hash, external id hash, product_id, price, quantity, store_id.
    /// Only hashes and business keys go in, so the id reveals no PII. Reformatting a value (a timestamp written
    /// with another offset, an email in capitals) does not change the id; changing the order id, event, product
    /// or time does.
    /// </summary>
    public static class EventIds
    {
        public const string Prefix = "oe1-";

        public static string Derive(string eventName, long eventTime, string? orderId, string? productId,
            string? emailHash, string? phoneHash, string? externalIdHash, decimal? price, long? quantity, string? storeId)
        {
            string time = eventTime.ToString(CultureInfo.InvariantCulture);
            string key = !string.IsNullOrEmpty(orderId)
                ? string.Join("|", "v1", eventName, orderId, productId ?? string.Empty, time)
                : string.Join("|", "v1", eventName, time, emailHash ?? string.Empty, phoneHash ?? string.Empty, externalIdHash ?? string.Empty,
                    productId ?? string.Empty, price?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                    quantity?.ToString(CultureInfo.InvariantCulture) ?? string.Empty, storeId ?? string.Empty);
            return Prefix + Sha256Hex.Hash(key).Substring(0, 32);
        }
    }
}
