using System;
using System.Globalization;
using System.Text.Json;

namespace OfflineEvents.Core.EventSets
{
    /// <summary>A TikTok offline event set: the destination for offline conversions.</summary>
    public sealed class OfflineEventSet
    {
        public OfflineEventSet(string eventSetId, string name, string description, string advertiserId, bool autoTracking, DateTime? createTime, DateTime? updateTime)
        {
            EventSetId = eventSetId;
            Name = name;
            Description = description;
            AdvertiserId = advertiserId;
            AutoTracking = autoTracking;
            CreateTime = createTime;
            UpdateTime = updateTime;
        }

        public string EventSetId { get; }
        public string Name { get; }
        public string Description { get; }
        public string AdvertiserId { get; }

        /// <summary>On: every future campaign of the ad account reports against this set.</summary>
        public bool AutoTracking { get; }

        /// <summary>UTC.</summary>
        public DateTime? CreateTime { get; }

        /// <summary>UTC.</summary>
        public DateTime? UpdateTime { get; }

        public override string ToString() => $"{Name} ({EventSetId})";

        internal static OfflineEventSet FromJson(JsonElement e, string fallbackAdvertiserId) => new OfflineEventSet(
            ReadString(e, "event_set_id"),
            ReadString(e, "name"),
            ReadString(e, "description"),
            ReadString(e, "advertiser_id") is { Length: > 0 } a ? a : fallbackAdvertiserId,
            e.TryGetProperty("auto_tracking", out var t) && (t.ValueKind == JsonValueKind.True || (t.ValueKind == JsonValueKind.Number && t.GetInt32() != 0)),
            ReadTime(e, "create_time"),
            ReadTime(e, "update_time"));

        // Ids may come as strings or (from some gateways) numbers; keep them as exact text.
        private static string ReadString(JsonElement e, string name)
        {
            if (!e.TryGetProperty(name, out var v)) return string.Empty;
            return v.ValueKind switch
            {
                JsonValueKind.String => v.GetString() ?? string.Empty,
                JsonValueKind.Number => v.GetRawText(),
                _ => string.Empty,
            };
        }

        // The upstream format is unconfirmed (shared doc §2): accept Unix seconds or a UTC date-time text.
        private static DateTime? ReadTime(JsonElement e, string name)
        {
            if (!e.TryGetProperty(name, out var v)) return null;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long seconds))
            {
                return DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime;
            }
            if (v.ValueKind == JsonValueKind.String)
            {
                string text = v.GetString() ?? string.Empty;
                if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out seconds))
                {
                    return DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime;
                }
                if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
                {
                    return parsed;
                }
            }
            return null;
        }
    }
}
