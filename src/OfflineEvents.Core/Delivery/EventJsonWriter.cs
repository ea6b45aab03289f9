using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>
    /// Writes one Events API 2.0 event from its lines: a row of its own, or the lines of an order. The value is the
    /// sum of the lines' totals, each line is a contents entry with its unit price, and the user carries every
    /// distinct identifier of the lines (a string for one, an array for several, as TikTok's user fields take both).
    /// One instance per thread.
    /// </summary>
    internal sealed class EventJsonWriter
    {
        private readonly MemoryStream _buffer = new MemoryStream(1024);
        private readonly Utf8JsonWriter _json;
        private readonly DeliveryOptions _options;
        private readonly List<string> _values = new List<string>(4);

        public EventJsonWriter(DeliveryOptions options)
        {
            _options = options;
            _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
        }

        /// <summary>The event's JSON. <paramref name="currency"/> is the event's: lines in another one are listed but not counted in the value.</summary>
        public byte[] Write(string name, long time, string eventId, string? orderId, string storeId, string? currency, IReadOnlyList<OrderLine> lines)
        {
            _buffer.SetLength(0);
            _json.Reset(_buffer);
            _json.WriteStartObject();
            _json.WriteString("event", name);
            _json.WriteNumber("event_time", time);
            _json.WriteString("event_id", eventId);
            _json.WriteStartObject("user");
            WriteIdentifiers("email", lines, l => l.Emails);
            WriteIdentifiers("phone", lines, l => l.Phones);
            WriteIdentifiers("external_id", lines, l => l.ExternalIds);
            _json.WriteEndObject();

            bool hasContent = false;
            decimal? value = null;
            // Indexed, not foreach: foreach over the IReadOnlyList boxed an enumerator, five per event (44 MB of a 50 MB send).
            for (int i = 0; i < lines.Count; i++)
            {
                var l = lines[i];
                hasContent |= l.HasContent;
                if (l.Total.HasValue && (l.Currency == null || currency == null || l.Currency == currency)) value = (value ?? 0) + l.Total.Value;
            }
            if (hasContent || orderId != null || storeId.Length > 0 || currency != null)
            {
                _json.WriteStartObject("properties");
                if (currency != null) _json.WriteString("currency", currency);
                // value is the order's total: the sum of its lines' totals (TikTok's template: price is the row's total).
                if (value.HasValue) _json.WriteNumber("value", value.Value);
                if (orderId != null) _json.WriteString("order_id", orderId);
                if (storeId.Length > 0) _json.WriteString("shop_id", storeId);
                if (hasContent)
                {
                    _json.WriteString("content_type", "product");
                    _json.WriteStartArray("contents");
                    for (int i = 0; i < lines.Count; i++)
                    {
                        var l = lines[i];
                        if (!l.HasContent) continue;
                        _json.WriteStartObject();
                        if (l.ProductId.Length > 0) _json.WriteString("content_id", l.ProductId);
                        if (l.ProductCategory.Length > 0) _json.WriteString("content_category", l.ProductCategory);
                        if (l.ProductName.Length > 0) _json.WriteString("content_name", l.ProductName);
                        if (l.UnitPrice.HasValue) _json.WriteNumber("price", l.UnitPrice.Value);
                        if (l.Quantity.HasValue) _json.WriteNumber("quantity", l.Quantity.Value);
                        _json.WriteEndObject();
                    }
                    _json.WriteEndArray();
                }
                _json.WriteEndObject();
            }
            if (_options.LimitedDataUse) _json.WriteBoolean("limited_data_use", true);
            if (!string.IsNullOrEmpty(_options.TestEventCode)) _json.WriteString("test_event_code", _options.TestEventCode);
            _json.WriteEndObject();
            _json.Flush();
            return _buffer.ToArray();
        }

        private void WriteIdentifiers(string field, IReadOnlyList<OrderLine> lines, Func<OrderLine, string[]> get)
        {
            _values.Clear();
            for (int i = 0; i < lines.Count; i++)
            {
                foreach (string v in get(lines[i]))
                {
                    // An order carries at most the cap of a row, its lines' first values first (EventDelivery warns past it).
                    if (_values.Count < Rules.EventRowValidator.MaxValuesPerIdentifier && !_values.Contains(v)) _values.Add(v);
                }
            }
            if (_values.Count == 0) return;
            if (_values.Count == 1)
            {
                _json.WriteString(field, _values[0]);
                return;
            }
            _json.WriteStartArray(field);
            foreach (string v in _values) _json.WriteStringValue(v);
            _json.WriteEndArray();
        }
    }
}
