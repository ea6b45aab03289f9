using System;
using System.Text.Json.Nodes;

namespace OfflineEvents.Sandbox;

/// <summary>An event set as the sandbox stores it.</summary>
public sealed class StoredEventSet
{
    public required string EventSetId { get; init; }
    public required string AdvertiserId { get; init; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public bool AutoTracking { get; set; }
    public DateTime CreateTime { get; init; }
    public DateTime UpdateTime { get; set; }

    public JsonObject ToJson() => new()
    {
        ["event_set_id"] = EventSetId,
        ["name"] = Name,
        ["description"] = Description,
        ["advertiser_id"] = AdvertiserId,
        ["auto_tracking"] = AutoTracking,
        // Upstream's format is unconfirmed; the client parses this and Unix seconds alike.
        ["create_time"] = CreateTime.ToString("yyyy-MM-dd HH:mm:ss"),
        ["update_time"] = UpdateTime.ToString("yyyy-MM-dd HH:mm:ss"),
    };
}
