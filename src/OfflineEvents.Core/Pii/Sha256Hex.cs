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

        // The platform's SHA-256 as an IncrementalHash, one per thread (an instance is not safe to share; netstandard2.0
        // has no one-shot SHA256.HashData), with the thread's buffers for the UTF-8 bytes. SHA256.ComputeHash cost
        // 0.55-0.85 us and 112 bytes per short value (a result and its copy, and a pooled buffer rented and returned);
        // this costs 0.39-0.50 us and 56 bytes. Send hashes four or five values a row.
        [ThreadStatic] private static Hasher? t_hasher;

        private sealed class Hasher
        {
            public readonly IncrementalHash Sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            public readonly byte[] Bytes = new byte[1024];
            public readonly char[] Chars = new char[256];

            /// <summary>Adds the UTF-8 bytes of the characters; a value too long for the thread's buffer uses a pooled one.</summary>
            public void Append(string? text, char[]? chars, int length)
            {
                int max = Encoding.UTF8.GetMaxByteCount(length);
                byte[] bytes = max <= Bytes.Length ? Bytes : ArrayPool<byte>.Shared.Rent(max);
                try
                {
                    int count = text != null ? Encoding.UTF8.GetBytes(text, 0, length, bytes, 0) : Encoding.UTF8.GetBytes(chars!, 0, length, bytes, 0);
                    Sha256.AppendData(bytes, 0, count);
                }
                finally
                {
                    if (!ReferenceEquals(bytes, Bytes)) ArrayPool<byte>.Shared.Return(bytes);
                }
            }
        }

        public static string Hash(string text)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            return Hex(Digest(text), string.Empty, 64);
        }

        /// <summary><paramref name="prefix"/> and the first <paramref name="digits"/> hex digits of the hash of <paramref name="text"/>.</summary>
        internal static string Hash(StringBuilder text, string prefix, int digits)
        {
            var hasher = t_hasher ??= new Hasher();
            if (text.Length > hasher.Chars.Length) return Hex(Digest(text.ToString()), prefix, digits);
            // Copied into the thread's buffer rather than made a string: an event id's key is hashed and dropped.
            text.CopyTo(0, hasher.Chars, 0, text.Length);
            hasher.Append(null, hasher.Chars, text.Length);
            return Hex(hasher.Sha256.GetHashAndReset(), prefix, digits);
        }

        /// <summary>The 32-byte SHA-256 of the text's UTF-8 bytes.</summary>
        internal static byte[] Digest(string text)
        {
            var hasher = t_hasher ??= new Hasher();
            hasher.Append(text, null, text.Length);
            return hasher.Sha256.GetHashAndReset();
        }

        /// <summary>The SHA-256 of <paramref name="first"/>, a line feed and <paramref name="second"/> (UTF-8), without joining them.</summary>
        internal static byte[] Digest(string first, string second)
        {
            // Checked before anything is added: the thread's hash would otherwise start the next value with these bytes.
            if (first == null || second == null) throw new ArgumentNullException(first == null ? nameof(first) : nameof(second));
            var hasher = t_hasher ??= new Hasher();
            hasher.Append(first, null, first.Length);
            hasher.Append("\n", null, 1);
            hasher.Append(second, null, second.Length);
            return hasher.Sha256.GetHashAndReset();
        }

        private static string Hex(byte[] digest, string prefix, int digits)
        {
            // Written in the thread's buffer (the hashed text is done with it): a char[] per hash was 8% of Send's allocations.
            var chars = (t_hasher ??= new Hasher()).Chars;
            prefix.CopyTo(0, chars, 0, prefix.Length);
            for (int i = 0; i < digits; i++)
            {
                int b = digest[i >> 1];
                chars[prefix.Length + i] = HexDigits[(i & 1) == 0 ? b >> 4 : b & 0xF];
            }
            return new string(chars, 0, prefix.Length + digits);
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
