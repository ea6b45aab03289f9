using System;

namespace OfflineEvents.Core.Pii
{
    /// <summary>Per-thread scratch arrays for the per-value paths (hashing, phone digits): reused, grown when a value needs more.</summary>
    internal static class ThreadBuffers
    {
        /// <summary>The array in <paramref name="buffer"/> (a [ThreadStatic] field), replaced first if it is shorter than <paramref name="size"/>.</summary>
        public static T[] AtLeast<T>(ref T[]? buffer, int size)
        {
            if (buffer == null || buffer.Length < size) buffer = new T[Math.Max(256, size)];
            return buffer;
        }
    }
}
