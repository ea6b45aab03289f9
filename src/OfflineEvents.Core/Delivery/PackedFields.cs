using System;
using System.Text;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>
    /// A row's input values in one UTF-8 array, for a row that waits in a batch until TikTok acknowledges it.
    /// </summary>
    /// <remarks>
    /// A batch keeps its rows' values in case TikTok rejects an event and the reject file must show its columns;
    /// that almost never happens, but with eight batches waiting every row outlived several collections. As a
    /// string array they were 16 objects and about 900 bytes a row, two thirds of what the collector copied and
    /// the largest part of its pauses. Packed: one object of about 300 bytes. Each value is a 7-bit encoded
    /// length plus one (0 for null) followed by its UTF-8 bytes, so any text, separators included, round-trips.
    /// </remarks>
    internal static class PackedFields
    {
        public static byte[] Pack(string?[] fields)
        {
            // Each value's code (0 for null, else its UTF-8 length plus one), counted once for sizing and writing.
            Span<uint> codes = fields.Length <= 128 ? stackalloc uint[fields.Length] : new uint[fields.Length];
            int size = 0;
            for (int i = 0; i < fields.Length; i++)
            {
                uint code = fields[i] is string f ? (uint)Encoding.UTF8.GetByteCount(f) + 1 : 0;
                codes[i] = code;
                size += LengthOfLength(code) + (code == 0 ? 0 : (int)code - 1);
            }
            var packed = new byte[size];
            int at = 0;
            for (int i = 0; i < fields.Length; i++)
            {
                at += WriteLength(packed, at, codes[i]);
                if (fields[i] is string f) at += Encoding.UTF8.GetBytes(f, 0, f.Length, packed, at);
            }
            return packed;
        }

        private static int LengthOfLength(uint value)
        {
            int n = 1;
            while (value >= 0x80)
            {
                value >>= 7;
                n++;
            }
            return n;
        }

        public static string?[] Unpack(byte[] packed, int count)
        {
            var fields = new string?[count];
            int at = 0;
            for (int i = 0; i < count; i++)
            {
                uint code = ReadLength(packed, ref at);
                if (code == 0) continue;
                int length = (int)code - 1;
                fields[i] = Encoding.UTF8.GetString(packed, at, length);
                at += length;
            }
            return fields;
        }

        private static int WriteLength(byte[] buffer, int at, uint value)
        {
            int n = 0;
            while (value >= 0x80)
            {
                buffer[at + n++] = (byte)(value | 0x80);
                value >>= 7;
            }
            buffer[at + n++] = (byte)value;
            return n;
        }

        private static uint ReadLength(byte[] buffer, ref int at)
        {
            uint value = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte b = buffer[at++];
                value |= (uint)(b & 0x7F) << shift;
                if (b < 0x80) return value;
            }
        }
    }
}
