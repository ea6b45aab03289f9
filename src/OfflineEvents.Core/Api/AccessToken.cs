using System;
using System.Runtime.InteropServices;
using System.Security;

namespace OfflineEvents.Core.Api
{
    /// <summary>
    /// A TikTok access token. Held as a <see cref="SecureString"/> and turned into text only inside the
    /// transport, when a request header is written. <see cref="ToString"/> never shows it.
    /// </summary>
    public sealed class AccessToken
    {
        private readonly SecureString _value;

        public AccessToken(SecureString value)
        {
            if (value == null) throw new ArgumentNullException(nameof(value));
            if (value.Length == 0) throw new ArgumentException("The access token is empty.", nameof(value));
            _value = value.Copy();
            _value.MakeReadOnly();
        }

        /// <summary>For tokens that arrive as text (an environment variable); the text is not kept.</summary>
        public static AccessToken FromPlainText(string value)
        {
            if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException("The access token is empty.", nameof(value));
            var secure = new SecureString();
            foreach (char c in value.Trim()) secure.AppendChar(c);
            return new AccessToken(secure);
        }

        public int Length => _value.Length;

        public override string ToString() => "********";

        /// <summary>The plain token, for the Access-Token header only. Never log, store or compare it elsewhere.</summary>
        internal string Reveal()
        {
            IntPtr ptr = IntPtr.Zero;
            try
            {
                ptr = Marshal.SecureStringToGlobalAllocUnicode(_value);
                return Marshal.PtrToStringUni(ptr) ?? string.Empty;
            }
            finally
            {
                if (ptr != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(ptr);
            }
        }
    }
}
