using System.Text;

namespace OfflineEvents.Core.Pii
{
    /// <summary>Masks PII for messages: enough to find the row, too little to learn the person.</summary>
    public static class PiiMask
    {
        private const char Dot = '\u2022';

        /// <summary><c>john.doe@example.com</c> → <c>j***@e***.com</c>.</summary>
        public static string Email(string value)
        {
            string s = value.Trim();
            if (s.Length == 0) return string.Empty;
            int at = s.LastIndexOf('@');
            if (at < 0) return s[0] + "***";
            string local = at > 0 ? s[0] + "***" : "***";
            string domain = s.Substring(at + 1);
            int dot = domain.LastIndexOf('.');
            string tld = dot >= 0 && domain.Length - dot <= 8 ? domain.Substring(dot) : string.Empty;
            string head = domain.Length > 0 && dot != 0 ? domain[0] + "***" : "***";
            return local + "@" + head + tld;
        }

        /// <summary>Keeps a leading country code and the last three digits: <c>+44 •••• •••958</c>.</summary>
        public static string Phone(string value, int countryCode = 0)
        {
            var digits = new StringBuilder();
            foreach (char c in value)
            {
                if (c >= '0' && c <= '9') digits.Append(c);
            }
            string all = digits.ToString();
            string cc = countryCode > 0 ? countryCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty;
            string national = cc.Length > 0 && all.StartsWith(cc, System.StringComparison.Ordinal) && value.TrimStart().StartsWith("+", System.StringComparison.Ordinal)
                ? all.Substring(cc.Length)
                : all;
            int keep = national.Length >= 7 ? 3 : national.Length >= 5 ? 2 : 0;
            var masked = new StringBuilder();
            if (cc.Length > 0) masked.Append('+').Append(cc).Append(' ');
            int hidden = national.Length - keep;
            for (int i = 0; i < hidden; i++)
            {
                if (i > 0 && i % 4 == 0) masked.Append(' ');
                masked.Append(Dot);
            }
            masked.Append(national, hidden, keep);
            return masked.Length == 0 ? "(no digits)" : masked.ToString();
        }

        /// <summary>An external id: first character, then its length.</summary>
        public static string Opaque(string value)
        {
            string s = value.Trim();
            return s.Length == 0 ? string.Empty : $"{s[0]}*** ({s.Length} chars)";
        }
    }
}
