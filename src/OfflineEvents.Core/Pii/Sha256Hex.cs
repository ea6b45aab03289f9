using System;
using System.Text;

namespace OfflineEvents.Core.Pii
{
    /// <summary>SHA-256 as TikTok wants it: UTF-8 bytes in, 64 lowercase hex characters out.</summary>
    public static class Sha256Hex
    {
        private const string HexDigits = "0123456789abcdef";

        // Buffers per thread, so hashing a value allocates only its hex string.
        [ThreadStatic] private static byte[]? t_bytes;
        [ThreadStatic] private static char[]? t_chars;

        public static string Hash(string text)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            var bytes = Bytes(Encoding.UTF8.GetMaxByteCount(text.Length));
            int length = Encoding.UTF8.GetBytes(text, 0, text.Length, bytes, 0);
            return Hex(bytes, length, string.Empty, 64);
        }

        /// <summary><paramref name="prefix"/> and the first <paramref name="digits"/> hex digits of the hash of <paramref name="text"/>.</summary>
        internal static string Hash(StringBuilder text, string prefix, int digits)
        {
            var chars = Chars(text.Length);
            text.CopyTo(0, chars, 0, text.Length);
            var bytes = Bytes(Encoding.UTF8.GetMaxByteCount(text.Length));
            int length = Encoding.UTF8.GetBytes(chars, 0, text.Length, bytes, 0);
            return Hex(bytes, length, prefix, digits);
        }

        private static string Hex(byte[] bytes, int length, string prefix, int digits)
        {
            Span<byte> digest = stackalloc byte[Sha256.HashSize];
            Sha256.Hash(new ReadOnlySpan<byte>(bytes, 0, length), digest);
            var chars = Chars(prefix.Length + digits);
            prefix.CopyTo(0, chars, 0, prefix.Length);
            for (int i = 0; i < digits; i++)
            {
                int b = digest[i >> 1];
                chars[prefix.Length + i] = HexDigits[(i & 1) == 0 ? b >> 4 : b & 0xF];
            }
            return new string(chars, 0, prefix.Length + digits);
        }

        private static byte[] Bytes(int size) => ThreadBuffers.AtLeast(ref t_bytes, size);

        private static char[] Chars(int size) => ThreadBuffers.AtLeast(ref t_chars, size);

        /// <summary>Exactly 64 hex characters (either case): already a SHA-256 hash.</summary>
        public static bool IsHash(string value) => value.Length == 64 && IsHex(value);

        internal static bool IsHex(string value)
        {
            foreach (char c in value)
            {
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
            }
            return value.Length > 0;
        }

        /// <summary>Lowercases a hash only when needed, so the common case allocates nothing.</summary>
        internal static string LowerHash(string hash)
        {
            foreach (char c in hash)
            {
                if (c >= 'A' && c <= 'F') return hash.ToLowerInvariant();
            }
            return hash;
        }
    }
}
