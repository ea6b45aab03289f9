using System;
using System.Security.Cryptography;
using System.Text;

namespace OfflineEvents.Core.Pii
{
    /// <summary>SHA-256 as TikTok wants it: UTF-8 bytes in, 64 lowercase hex characters out.</summary>
    public static class Sha256Hex
    {
        private const string HexDigits = "0123456789abcdef";

        // One hasher and buffer per thread: SHA256 instances are not thread-safe, and creating one per value costs more than the hash.
        [ThreadStatic] private static SHA256? t_sha;
        [ThreadStatic] private static byte[]? t_buffer;

        [ThreadStatic] private static byte[]? t_digest;
        [ThreadStatic] private static char[]? t_hex;

        private delegate int OneShot(ReadOnlySpan<byte> source, Span<byte> destination);

        // SHA256.HashData (.NET 5+) hashes in one call with no hasher state to reset and nothing to allocate;
        // it was a quarter of an export's CPU through ComputeHash. This assembly targets netstandard2.0, so it
        // is found at run time; Windows PowerShell 5.1 (.NET Framework) has none and uses ComputeHash.
        private static readonly OneShot? s_hashData = FindHashData();

        private static OneShot? FindHashData()
        {
            try
            {
                var method = typeof(SHA256).GetMethod("HashData", new[] { typeof(ReadOnlySpan<byte>), typeof(Span<byte>) });
                return method == null || method.ReturnType != typeof(int) ? null : (OneShot)Delegate.CreateDelegate(typeof(OneShot), method);
            }
            catch (ArgumentException)
            {
                return null;
            }
        }

        /// <summary>Whether the one-shot hash is in use (tests report it).</summary>
        internal static bool IsOneShot => s_hashData != null;

        public static string Hash(string text)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            int max = Encoding.UTF8.GetMaxByteCount(text.Length);
            var buffer = t_buffer;
            if (buffer == null || buffer.Length < max)
            {
                t_buffer = buffer = new byte[Math.Max(256, max)];
            }
            int length = Encoding.UTF8.GetBytes(text, 0, text.Length, buffer, 0);
            byte[] digest;
            if (s_hashData != null)
            {
                digest = t_digest ??= new byte[32];
                s_hashData(new ReadOnlySpan<byte>(buffer, 0, length), digest);
            }
            else
            {
                var sha = t_sha ??= SHA256.Create();
                digest = sha.ComputeHash(buffer, 0, length);
            }
            return ToHex(digest);
        }

        private static string ToHex(byte[] digest)
        {
            var chars = t_hex ??= new char[64];
            for (int i = 0; i < 32; i++)
            {
                chars[2 * i] = HexDigits[digest[i] >> 4];
                chars[2 * i + 1] = HexDigits[digest[i] & 0xF];
            }
            return new string(chars, 0, 64);
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
