using System;
using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace OfflineEvents.Core.Pii
{
    /// <summary>SHA-256 as TikTok wants it: UTF-8 bytes in, 64 lowercase hex characters out.</summary>
    public static class Sha256Hex
    {
        public const int HashSize = 32;
        private const string HexDigits = "0123456789abcdef";

        // The platform's SHA-256, one instance per thread: an instance is not safe to share, and netstandard2.0 has no
        // one-shot SHA256.HashData.
        [ThreadStatic] private static SHA256? t_sha256;

        public static string Hash(string text)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            return Hex(Digest(text), string.Empty, 64);
        }

        /// <summary><paramref name="prefix"/> and the first <paramref name="digits"/> hex digits of the hash of <paramref name="text"/>.</summary>
        internal static string Hash(StringBuilder text, string prefix, int digits) => Hex(Digest(text.ToString()), prefix, digits);

        /// <summary>The 32-byte SHA-256 of the text's UTF-8 bytes.</summary>
        internal static byte[] Digest(string text)
        {
            byte[] bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
            try
            {
                int length = Encoding.UTF8.GetBytes(text, 0, text.Length, bytes, 0);
                return (t_sha256 ??= SHA256.Create()).ComputeHash(bytes, 0, length);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(bytes);
            }
        }

        private static string Hex(byte[] digest, string prefix, int digits)
        {
            var chars = new char[prefix.Length + digits];
            prefix.CopyTo(0, chars, 0, prefix.Length);
            for (int i = 0; i < digits; i++)
            {
                int b = digest[i >> 1];
                chars[prefix.Length + i] = HexDigits[(i & 1) == 0 ? b >> 4 : b & 0xF];
            }
            return new string(chars);
        }

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
