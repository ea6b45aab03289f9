using System;
using System.Collections.Generic;

namespace OfflineEvents.Core.Rules
{
    /// <summary>ISO 4217 active currency codes (2024 list, without funds and precious-metal codes).</summary>
    public static class Currencies
    {
        private static readonly HashSet<string> Codes = new HashSet<string>(StringComparer.Ordinal)
        {
            "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BHD",
            "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF", "CLP", "CNY",
            "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP",
            "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR",
            "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT",
            "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR",
            "MVR", "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK",
            "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD",
            "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY",
            "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS", "VES", "VND", "VUV", "WST", "XAF", "XCD", "XOF",
            "XPF", "YER", "ZAR", "ZMW", "ZWG",
        };

        /// <summary>
        /// The currencies TikTok lists as supported (about 60), as TikTok's own SDK transcribes them
        /// (tiktok-business-ios-sdk, TikTokConstants.m). Another ISO code is sent with a warning: TikTok may not
        /// report its value.
        /// </summary>
        private static readonly HashSet<string> TikTokCodes = new HashSet<string>(StringComparer.Ordinal)
        {
            "AED", "ARS", "AUD", "BDT", "BGN", "BHD", "BIF", "BOB", "BRL", "CAD", "CHF", "CLP", "CNY", "COP", "CRC",
            "CZK", "DKK", "DZD", "EGP", "EUR", "GBP", "GTQ", "HKD", "HNL", "HUF", "IDR", "ILS", "INR", "IQD", "ISK",
            "JOD", "JPY", "KES", "KHR", "KRW", "KWD", "KZT", "LBP", "MAD", "MOP", "MXN", "MYR", "NGN", "NIO", "NOK",
            "NZD", "OMR", "PEN", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RUB", "SAR", "SEK", "SGD", "THB", "TRY",
            "TWD", "TZS", "UAH", "USD", "VES", "VND", "ZAR",
        };

        public static IReadOnlyCollection<string> All => Codes;

        /// <summary>Whether TikTok lists the (normalized) ISO 4217 code as supported.</summary>
        public static bool IsTikTokSupported(string code) => TikTokCodes.Contains(code);

        /// <summary>Whether the text, trimmed and uppercased, is an ISO 4217 code; the normalized code in <paramref name="code"/>.</summary>
        public static bool TryNormalize(string? text, out string code)
        {
            code = (text ?? string.Empty).Trim().ToUpperInvariant();
            return Codes.Contains(code);
        }
    }
}
