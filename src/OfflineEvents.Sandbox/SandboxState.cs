using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace OfflineEvents.Sandbox;

/// <summary>All mutable sandbox state behind one lock: small, and requests are short.</summary>
public sealed class SandboxState
{
    private readonly object _gate = new();
    private readonly Dictionary<string, StoredEventSet> _sets = new(StringComparer.Ordinal);
    private readonly List<LedgerEntry> _ledger = new();
    private readonly HashSet<string> _dedupKeys = new(StringComparer.Ordinal);
    private long _nextSetId;

    public SandboxState(int seed) => _nextSetId = 7300000000000000000L + (seed % 1000) * 1000000L;

    public long Requests;
    public long TrackRequests;
    public long EventsAccepted;
    public long EventsDeduplicated;
    public long BatchesRejected;
    public long FaultsInjected;
    public long RateLimited;

    public StoredEventSet CreateSet(string advertiserId, string name, string description, bool autoTracking)
    {
        lock (_gate)
        {
            var now = DateTime.UtcNow;
            var set = new StoredEventSet
            {
                EventSetId = (++_nextSetId).ToString(),
                AdvertiserId = advertiserId,
                Name = name,
                Description = description,
                AutoTracking = autoTracking,
                CreateTime = now,
                UpdateTime = now,
            };
            _sets[set.EventSetId] = set;
            return set;
        }
    }

    public List<StoredEventSet> ListSets(string advertiserId)
    {
        lock (_gate)
        {
            return _sets.Values.Where(s => s.AdvertiserId == advertiserId).OrderBy(s => s.EventSetId, StringComparer.Ordinal).ToList();
        }
    }

    public StoredEventSet? FindSet(string eventSetId)
    {
        lock (_gate)
        {
            return _sets.TryGetValue(eventSetId, out var set) ? set : null;
        }
    }

    public StoredEventSet? Update(string advertiserId, string eventSetId, string? name, bool? autoTracking)
    {
        lock (_gate)
        {
            if (!_sets.TryGetValue(eventSetId, out var set) || set.AdvertiserId != advertiserId)
            {
                return null;
            }
            if (name != null) set.Name = name;
            if (autoTracking.HasValue) set.AutoTracking = autoTracking.Value;
            set.UpdateTime = DateTime.UtcNow;
            return set;
        }
    }

    public bool Delete(string advertiserId, string eventSetId)
    {
        lock (_gate)
        {
            return _sets.TryGetValue(eventSetId, out var set) && set.AdvertiserId == advertiserId && _sets.Remove(eventSetId);
        }
    }

    /// <summary>Records a validated batch; an event whose set + event + event_id was seen is deduplicated, as upstream.</summary>
    public (int Accepted, int Deduplicated) Accept(string eventSetId, IReadOnlyList<System.Text.Json.JsonElement> events, string requestId, string? testEventCode = null)
    {
        // Entries and keys are built before taking the lock every track request shares.
        var entries = new LedgerEntry[events.Count];
        var keys = new string?[events.Count];
        for (int i = 0; i < entries.Length; i++)
        {
            var e = events[i];
            var name = e.GetProperty("event"u8).GetString()!;
            var eventId = e.TryGetProperty("event_id"u8, out var id) ? id.GetString() : null;
            keys[i] = eventId == null ? null : eventSetId + "\u0001" + name + "\u0001" + eventId;
            string? eventTestCode = e.TryGetProperty("test_event_code"u8, out var own) && own.ValueKind == System.Text.Json.JsonValueKind.String ? own.GetString() : testEventCode;
            entries[i] = new LedgerEntry(eventSetId, name, eventId, e.GetProperty("event_time"u8).GetInt64(), requestId,
                System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(e).ToArray(), eventTestCode);
        }
        lock (_gate)
        {
            int accepted = 0, duplicates = 0;
            for (int i = 0; i < entries.Length; i++)
            {
                if (keys[i] is string key && !_dedupKeys.Add(key))
                {
                    duplicates++;
                    continue;
                }
                _ledger.Add(entries[i]);
                accepted++;
            }
            EventsAccepted += accepted;
            EventsDeduplicated += duplicates;
            return (accepted, duplicates);
        }
    }

    public List<LedgerEntry> Ledger(string? eventSetId)
    {
        lock (_gate)
        {
            return eventSetId == null ? _ledger.ToList() : _ledger.Where(l => l.EventSetId == eventSetId).ToList();
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _sets.Clear();
            _ledger.Clear();
            _dedupKeys.Clear();
            Requests = TrackRequests = EventsAccepted = EventsDeduplicated = BatchesRejected = FaultsInjected = RateLimited = 0;
        }
    }
}
