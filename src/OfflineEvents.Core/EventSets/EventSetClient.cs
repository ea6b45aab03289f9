using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using OfflineEvents.Core.Api;

namespace OfflineEvents.Core.EventSets
{
    /// <summary>The offline/create|get|update|delete calls (shared doc §2).</summary>
    public sealed class EventSetClient
    {
        private readonly BusinessApiClient _api;

        public EventSetClient(BusinessApiClient api) => _api = api ?? throw new ArgumentNullException(nameof(api));

        private string AdvertiserId => _api.Connection.AdvertiserId;

        public async Task<OfflineEventSet> CreateAsync(string name, string? description, bool autoTracking, CancellationToken cancellationToken)
        {
            ValidateName(name);
            var response = await _api.PostAsync("offline/create/", new Dictionary<string, object?>
            {
                ["advertiser_id"] = AdvertiserId,
                ["name"] = name,
                // Upstream requires the field to be present even when empty.
                ["description"] = description ?? string.Empty,
                ["auto_tracking"] = autoTracking,
            }, cancellationToken).ConfigureAwait(false);
            string id = response.Data.ValueKind == JsonValueKind.Object && response.Data.TryGetProperty("event_set_id", out var idElement)
                ? (idElement.ValueKind == JsonValueKind.Number ? idElement.GetRawText() : idElement.GetString() ?? string.Empty)
                : string.Empty;
            if (id.Length == 0)
            {
                throw new TikTokApiException($"TikTok created the event set but returned no event_set_id (request id {response.RequestId}).", ApiErrorKind.Protocol, requestId: response.RequestId);
            }
            var created = await GetAsync(new[] { id }, null, cancellationToken).ConfigureAwait(false);
            return created.FirstOrDefault()
                ?? new OfflineEventSet(id, name, description ?? string.Empty, AdvertiserId, autoTracking, null, null);
        }

        /// <summary>Sets of the advertiser; <paramref name="eventSetIds"/> and <paramref name="nameContains"/> filter on the server.</summary>
        public async Task<IReadOnlyList<OfflineEventSet>> GetAsync(IReadOnlyCollection<string>? eventSetIds, string? nameContains, CancellationToken cancellationToken)
        {
            var query = new List<KeyValuePair<string, string>> { new KeyValuePair<string, string>("advertiser_id", AdvertiserId) };
            if (eventSetIds != null && eventSetIds.Count > 0)
            {
                query.Add(new KeyValuePair<string, string>("event_set_ids", JsonSerializer.Serialize(eventSetIds)));
            }
            if (!string.IsNullOrEmpty(nameContains))
            {
                query.Add(new KeyValuePair<string, string>("name", nameContains!));
            }
            var response = await _api.GetAsync("offline/get/", query, cancellationToken).ConfigureAwait(false);
            var result = new List<OfflineEventSet>();
            if (response.Data.ValueKind == JsonValueKind.Object
                && response.Data.TryGetProperty("event_set_list", out var list)
                && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in list.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object) result.Add(OfflineEventSet.FromJson(item, AdvertiserId));
                }
            }
            return result;
        }

        public async Task<OfflineEventSet> UpdateAsync(string eventSetId, string? name, bool? autoTracking, CancellationToken cancellationToken)
        {
            ValidateId(eventSetId);
            if (name != null) ValidateName(name);
            var body = new Dictionary<string, object?> { ["advertiser_id"] = AdvertiserId, ["event_set_id"] = eventSetId };
            if (name != null) body["name"] = name;
            if (autoTracking.HasValue) body["auto_tracking"] = autoTracking.Value;
            var response = await _api.PostAsync("offline/update/", body, cancellationToken).ConfigureAwait(false);
            if (response.Data.ValueKind == JsonValueKind.Object && response.Data.TryGetProperty("event_set_id", out _))
            {
                return OfflineEventSet.FromJson(response.Data, AdvertiserId);
            }
            // Tolerate an empty data object: read the set back.
            var sets = await GetAsync(new[] { eventSetId }, null, cancellationToken).ConfigureAwait(false);
            return sets.FirstOrDefault() ?? throw new TikTokApiException($"Offline event set {eventSetId} was updated but could not be read back.", ApiErrorKind.NotFound, requestId: response.RequestId);
        }

        public async Task<string> DeleteAsync(string eventSetId, CancellationToken cancellationToken)
        {
            ValidateId(eventSetId);
            var response = await _api.PostAsync("offline/delete/", new Dictionary<string, object?>
            {
                ["advertiser_id"] = AdvertiserId,
                ["event_set_id"] = eventSetId,
            }, cancellationToken).ConfigureAwait(false);
            return response.RequestId;
        }

        public static void ValidateId(string eventSetId)
        {
            if (!ApiConnection.IsDigits(eventSetId ?? string.Empty))
            {
                throw new ArgumentException($"The event set id '{eventSetId}' is not valid: it must be a string of digits (a pixel code is not an offline event set id).", nameof(eventSetId));
            }
        }

        private static void ValidateName(string name)
        {
            if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("The event set name is empty.", nameof(name));
            if (name.Length > 128) throw new ArgumentException($"The event set name is {name.Length} characters long; TikTok allows at most 128.", nameof(name));
        }
    }
}
