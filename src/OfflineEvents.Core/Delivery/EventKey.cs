using System;
using System.Buffers.Binary;
using OfflineEvents.Core.Pii;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>
    /// An event as TikTok deduplicates it within one event set (event + event_id), in 16 bytes: the first half of
    /// SHA-256 over the two. A run remembers one per event it has taken, so that an event repeated in its input is
    /// sent once, with or without a journal. A HashSet of a million of these took 37 MB (measured: 28 bytes an
    /// entry plus growth slack); a million journal keys as strings took 187 MB. Ordered (High, then Low, unsigned)
    /// for the sorted runs <see cref="SeenEvents"/> spills to disk.
    /// </summary>
    internal readonly struct EventKey : IEquatable<EventKey>, IComparable<EventKey>
    {
        public EventKey(ulong high, ulong low)
        {
            High = high;
            Low = low;
        }

        /// <summary>The digest's first 8 bytes (little-endian).</summary>
        public ulong High { get; }

        /// <summary>The digest's next 8 bytes.</summary>
        public ulong Low { get; }

        public static EventKey Of(string eventName, string eventId)
        {
            byte[] digest = Sha256Hex.Digest(eventName, eventId); // name, line feed, id: no event name holds a line feed
            return new EventKey(BinaryPrimitives.ReadUInt64LittleEndian(digest), BinaryPrimitives.ReadUInt64LittleEndian(digest.AsSpan(8)));
        }

        public bool Equals(EventKey other) => High == other.High && Low == other.Low;

        public override bool Equals(object? obj) => obj is EventKey other && Equals(other);

        public override int GetHashCode() => (int)Low ^ (int)(Low >> 32);

        public int CompareTo(EventKey other) => High != other.High ? High.CompareTo(other.High) : Low.CompareTo(other.Low);
    }
}
