using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace OfflineEvents.Core.Rules
{
    /// <summary>
    /// Amounts as exports write them: a currency sign or ISO code before or after the number ('$12.50', '12,50 €',
    /// 'USD 12.50'), and, under a culture, its decimal and thousands separators ('1.234,50' in de-DE).
    /// </summary>
    public static class WrittenAmount
    {
        // A sign or code, optional (non-breaking) spaces, the rest; or the rest, spaces, a sign or code.
        private static readonly Regex Leading = new Regex(@"^(?<mark>[A-Za-z]{0,3}\p{Sc}|[A-Za-z]{3})[\s\u00A0\u202F]*(?<amount>\S.*)$", RegexOptions.CultureInvariant | RegexOptions.Compiled);
        private static readonly Regex Trailing = new Regex(@"^(?<amount>.*\S)[\s\u00A0\u202F]*(?<mark>\p{Sc}|[A-Za-z]{3})$", RegexOptions.CultureInvariant | RegexOptions.Compiled);

        /// <summary>
        /// Signs that name one currency. '$' (USD, CAD, AUD, MXN and more) and '¥' (JPY or CNY) do not: they are read
        /// as signs and give no currency, so the row's currency column or -DefaultCurrency decides.
        /// </summary>
        private static readonly Dictionary<string, string> Signs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["€"] = "EUR", ["£"] = "GBP", ["₹"] = "INR", ["₩"] = "KRW", ["₽"] = "RUB", ["₺"] = "TRY", ["₱"] = "PHP", ["₫"] = "VND",
            ["₪"] = "ILS", ["₴"] = "UAH", ["₦"] = "NGN", ["US$"] = "USD", ["CA$"] = "CAD", ["C$"] = "CAD", ["A$"] = "AUD", ["AU$"] = "AUD",
            ["NZ$"] = "NZD", ["HK$"] = "HKD", ["S$"] = "SGD", ["R$"] = "BRL", ["MX$"] = "MXN", ["$"] = "", ["¥"] = "",
        };

        /// <summary>
        /// Takes a currency sign or ISO 4217 code off the front or back of <paramref name="text"/> (trimmed).
        /// <paramref name="currency"/> is the ISO code it names, or empty for an ambiguous sign ('$', '¥') or none.
        /// False when there is no sign or code to take off (or one that is no currency, such as '¢').
        /// </summary>
        public static bool TryStripCurrency(string text, out string amount, out string currency)
        {
            amount = text;
            currency = string.Empty;
            var m = Leading.Match(text);
            if (!m.Success || !Names(m.Groups["mark"].Value, out currency)) m = Trailing.Match(text);
            if (!m.Success || !Names(m.Groups["mark"].Value, out currency))
            {
                currency = string.Empty;
                return false;
            }
            amount = m.Groups["amount"].Value.Trim();
            return amount.Length > 0;
        }

        private static bool Names(string mark, out string currency)
        {
            if (Signs.TryGetValue(mark, out string? code))
            {
                currency = code;
                return true;
            }
            return Currencies.TryNormalize(mark, out currency);
        }

        /// <summary>
        /// Reads a number written with <paramref name="culture"/>'s decimal separator and, in groups of three, its
        /// thousands separator (a space for a culture that groups with a non-breaking one). Strict, as a lax read of
        /// '12.50' under de-DE would be 1250. False when it is not written so.
        /// </summary>
        public static bool TryReadNumber(string text, CultureInfo culture, out decimal value)
        {
            value = 0;
            var format = culture.NumberFormat;
            string group = format.NumberGroupSeparator, point = format.NumberDecimalSeparator;
            bool spaceGroup = group.Trim('\u00A0', '\u202F', ' ').Length == 0;
            string g = spaceGroup ? @"[\s\u00A0\u202F]" : Regex.Escape(group);
            string d = Regex.Escape(point);
            if (!Regex.IsMatch(text, $@"^(?:\d+|\d{{1,3}}(?:{g}\d{{3}})+)(?:{d}\d+)?$", RegexOptions.CultureInvariant)) return false;
            var plain = new System.Text.StringBuilder(text.Length);
            bool afterPoint = false;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c >= '0' && c <= '9') plain.Append(c);
                else if (!afterPoint && string.CompareOrdinal(text, i, point, 0, point.Length) == 0)
                {
                    plain.Append('.');
                    afterPoint = true;
                    i += point.Length - 1;
                }
            }
            return ValueRules.TryPlainDecimal(plain.ToString(), out value);
        }

        /// <summary>1234.50 as the culture writes it, for messages.</summary>
        public static string Example(CultureInfo culture) => 1234.50m.ToString("N2", culture);
    }
}
