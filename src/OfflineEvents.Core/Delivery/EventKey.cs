using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using OfflineEvents.Core.Pii;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>
    /// An event as TikTok deduplicates it within one event set (event + event_id), in 16 bytes: the first half of
    /// SHA-256 over the two. A run remembers one per event it has taken, so that an event repeated in its input is
    /// sent once, with or without a journal. A HashSet of a million of these took 37 MB (measured: 28 bytes an
    /// entry plus growth slack); a million journal keys as strings took 187 MB.
    /// </summary>
    internal readonly struct EventKey : IEquatable<EventKey>
    {
        private readonly ulong _high, _low;

        private EventKey(ulong high, ulong low)
        {
            _high = high;
            _low = low;
        }

        public static EventKey Of(string eventName, string eventId)
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(eventName.Length + eventId.Length + 1));
            try
            {
                int length = Encoding.UTF8.GetBytes(eventName, 0, eventName.Length, buffer, 0);
                buffer[length++] = (byte)'\n'; // no event name holds one
                length += Encoding.UTF8.GetBytes(eventId, 0, eventId.Length, buffer, length);
                Span<byte> digest = stackalloc byte[Sha256.HashSize];
                Sha256.Hash(new ReadOnlySpan<byte>(buffer, 0, length), digest);
                return new EventKey(BinaryPrimitives.ReadUInt64LittleEndian(digest), BinaryPrimitives.ReadUInt64LittleEndian(digest.Slice(8)));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        public bool Equals(EventKey other) => _high == other._high && _low == other._low;

        public override bool Equals(object? obj) => obj is EventKey other && Equals(other);

        public override int GetHashCode() => (int)_low ^ (int)(_low >> 32);
    }
}
