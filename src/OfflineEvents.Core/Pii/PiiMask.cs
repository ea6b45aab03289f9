using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

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
                // Any script's digits (full-width ０-９ too), kept as ASCII.
                if (char.IsDigit(c)) digits.Append((char)('0' + CharUnicodeInfo.GetDecimalDigitValue(c)));
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

        /// <summary>
        /// A value of any column as a message, an error's target or a reject file may quote it: masked when it has
        /// the shape of an email (an '@' inside text) or a phone number (7 to 15 digits written as a phone is), as
        /// is otherwise. A row shifted by an unquoted comma puts a phone number into the timestamp column.
        /// </summary>
        public static string InMessage(string value)
        {
            if (LooksLikeEmail(value)) return Email(value);
            // An extension is masked whole: the digits kept are the number's own.
            if (LooksLikePhone(value, out string number)) return Phone(number) + (number.Length < value.Trim().Length ? " ext. \u2022\u2022" : string.Empty);
            return value;
        }

        /// <summary>Whether the value has an email's or a phone number's shape (see <see cref="InMessage"/>).</summary>
        public static bool LooksLikePii(string value) => LooksLikeEmail(value) || LooksLikePhone(value, out _);

        private static bool LooksLikeEmail(string value)
        {
            for (int at = value.IndexOf('@'); at >= 0; at = value.IndexOf('@', at + 1))
            {
                if (at > 0 && at < value.Length - 1 && !char.IsWhiteSpace(value[at - 1]) && !char.IsWhiteSpace(value[at + 1])) return true;
            }
            return false;
        }

        // Spreadsheets and word processors write phone numbers with no-break or thin spaces and typographic dashes;
        // Japanese and Chinese text with full-width plus, hyphen, parentheses, slash and the ideographic space.
        private static bool IsTypographicSeparator(char c) =>
            c == '\u00A0' || c == '\u2009' || c == '\u202F' || (c >= '\u2010' && c <= '\u2013') || c == '\u3000'
            || c == '\uFF0B' || c == '\uFF0D' || c == '\uFF08' || c == '\uFF09' || c == '\uFF0F';

        // "213-373-4253 ext. 12", "+1 213 373 4253 x12", "(213) 373-4253 #12": the number before the extension decides.
        private static readonly Regex Extension = new Regex(@"^(?<number>.*?\d.*?)[\s,;]*(?:ext\.?|extension|x|#)\s*\d{1,6}\s*$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>Whether the value is a phone number, with or without an extension; <paramref name="number"/> is it without one.</summary>
        private static bool LooksLikePhone(string value, out string number)
        {
            number = value.Trim();
            if (IsPhoneNumber(number)) return true;
            // The regex only for what could hold an extension, of a length a phone number has.
            if (number.Length > 60 || number.IndexOfAny(ExtensionMarks) < 0) return false;
            var extension = Extension.Match(number);
            if (!extension.Success) return false;
            number = extension.Groups["number"].Value.Trim();
            return IsPhoneNumber(number);
        }

        private static readonly char[] ExtensionMarks = { 'x', 'X', '#' };

        /// <summary>
        /// 10-15 digits alone (2133734253), or 7-15 digits with a phone's punctuation (+44 20 7946 0958,
        /// (213) 373-4253, 213.373.4253, 030/1234567, also with no-break spaces, typographic dashes or full-width forms);
        /// not a date (2026-11-20, 11/20/2026, 20.11.2026) or an amount with a decimal part (1234567.89).
        /// Shorter digit runs (order numbers, prices) are left as they are.
        /// </summary>
        private static bool IsPhoneNumber(string value)
        {
            int digits = 0, separators = 0, dots = 0, dashes = 0, slashes = 0, n = value.Length;
            while (n > 0 && char.IsWhiteSpace(value[n - 1])) n--;
            int start = 0;
            while (start < n && char.IsWhiteSpace(value[start])) start++;
            if (n - start < 7 || n - start > 40) return false;
            for (int i = start; i < n; i++)
            {
                char c = value[i];
                if (char.IsDigit(c)) digits++;
                else if (c == '.') { dots++; separators++; }
                else if (c == '-') { dashes++; separators++; }
                else if (c == '/') { slashes++; separators++; }
                else if (c == ' ' || c == '+' || c == '(' || c == ')' || IsTypographicSeparator(c)) separators++;
                else return false;
            }
            if (digits < 7 || digits > 15) return false;
            if (separators == 0) return digits >= 10;
            // 2026-11-20, 11/20/2026, 20.11.2026, 2026/11/20: a date, not a phone.
            if (separators == 2 && (dashes == 2 || slashes == 2 || dots == 2) && IsDate(value.Substring(start, n - start))) return false;
            // 1234567.89: an amount.
            if (dots == 1 && separators == 1 && value.IndexOf('.', start) >= n - 4) return false;
            return true;
        }

        /// <summary>Three groups of digits (year first or last) split by two of the same separator.</summary>
        private static bool IsDate(string value)
        {
            string[] parts = value.Split('-', '/', '.');
            if (parts.Length != 3) return false;
            int a = parts[0].Length, b = parts[1].Length, c = parts[2].Length;
            return b >= 1 && b <= 2 && ((a == 4 && c >= 1 && c <= 2) || (a >= 1 && a <= 2 && (c == 2 || c == 4)));
        }

        /// <summary>An external id: first character, then its length.</summary>
        public static string Opaque(string value)
        {
            string s = value.Trim();
            return s.Length == 0 ? string.Empty : $"{s[0]}*** ({s.Length} chars)";
        }
    }
}
