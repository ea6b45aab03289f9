using System;
using System.Collections.Generic;
using System.Linq;

namespace OfflineEvents.Core.Rules
{
    /// <summary>
    /// TikTok's standard offline event names (shared doc §5). Files use display names ("Add to Cart"), the
    /// API the same words capitalized without spaces (AddToCart); both, and TikTok's 2025 names, are accepted
    /// ignoring case, spaces, '_' and '-'. The API name is what is sent.
    /// </summary>
    public static class EventNames
    {
        private static readonly (string Api, string Display)[] Known =
        {
            ("CompletePayment", "Complete Payment"),
            ("Contact", "Contact"),
            ("Subscribe", "Subscribe"),
            ("SubmitForm", "SubmitForm"),
            ("AddPaymentInfo", "Add Payment Info"),
            ("AddToCart", "Add to Cart"),
            ("AddToWishlist", "Add to Wishlist"),
            ("ClickButton", "Click Button"),
            ("CompleteRegistration", "Complete Registration"),
            ("Download", "Download"),
            ("InitiateCheckout", "Initiate Checkout"),
            ("PlaceAnOrder", "Place an Order"),
            ("Search", "Search"),
            ("ViewContent", "View Content"),
            // TikTok's 2025 lists.
            ("Purchase", "Purchase"),
            ("Lead", "Lead"),
            ("ApplicationApproval", "Application Approval"),
            ("CustomizeProduct", "Customize Product"),
            ("FindLocation", "Find Location"),
            ("Schedule", "Schedule"),
            ("StartTrial", "Start Trial"),
            ("SubmitApplication", "Submit Application"),
        };

        private static readonly Dictionary<string, string> ByFolded = Known
            .SelectMany(k => new[] { (Fold(k.Api), k.Api), (Fold(k.Display), k.Api) })
            .GroupBy(p => p.Item1)
            .ToDictionary(g => g.Key, g => g.First().Item2, StringComparer.Ordinal);

        private static readonly Dictionary<string, string> ExactNames = Known
            .SelectMany(k => new[] { (k.Api, k.Api), (k.Display, k.Api) })
            .GroupBy(p => p.Item1)
            .ToDictionary(g => g.Key, g => g.First().Item2, StringComparer.Ordinal);

        private static readonly Dictionary<string, string> DisplayByApi = Known.ToDictionary(k => k.Api, k => k.Display, StringComparer.Ordinal);

        /// <summary>Every API name, in TikTok's order.</summary>
        public static IReadOnlyList<string> ApiNames { get; } = Known.Select(k => k.Api).ToArray();

        /// <summary>Every display name, as the manual-upload CSV spells them.</summary>
        public static IReadOnlyList<string> DisplayNames { get; } = Known.Select(k => k.Display).ToArray();

        /// <summary>The API name for a display name, API name or alias; null when unknown.</summary>
        public static string? ToApiName(string? name)
        {
            if (name == null) return null;
            // Names as TikTok spells them are the common case; looking them up as they are allocates nothing.
            if (ExactNames.TryGetValue(name, out var exact)) return exact;
            if (string.IsNullOrWhiteSpace(name)) return null;
            return ByFolded.TryGetValue(Fold(name!), out var api) ? api : null;
        }

        /// <summary>The manual-upload display name of an API name.</summary>
        public static string ToDisplayName(string apiName) =>
            DisplayByApi.TryGetValue(apiName, out var display) ? display : apiName;

        /// <summary>The closest known display name, for "did you mean ...?"; null when nothing is close.</summary>
        public static string? Suggest(string? name)
        {
            if (string.IsNullOrWhiteSpace(name)) return null;
            string folded = Fold(name!);
            if (folded.Length == 0) return null;
            string? best = null;
            int bestDistance = int.MaxValue;
            foreach (var (api, display) in Known)
            {
                int d = Math.Min(Distance(folded, Fold(display)), Distance(folded, Fold(api)));
                if (d < bestDistance)
                {
                    bestDistance = d;
                    best = display;
                }
            }
            // Close enough to be a typo: at most a third of the name, and at most 3 edits.
            return bestDistance <= Math.Min(3, Math.Max(1, folded.Length / 3)) ? best : null;
        }

        internal static string Fold(string name)
        {
            var chars = new char[name.Length];
            int n = 0;
            foreach (char c in name)
            {
                if (c == ' ' || c == '_' || c == '-' || c == '\t') continue;
                chars[n++] = char.ToLowerInvariant(c);
            }
            return new string(chars, 0, n);
        }

        /// <summary>Levenshtein distance, two rows of memory.</summary>
        internal static int Distance(string a, string b)
        {
            var previous = new int[b.Length + 1];
            var current = new int[b.Length + 1];
            for (int j = 0; j <= b.Length; j++) previous[j] = j;
            for (int i = 1; i <= a.Length; i++)
            {
                current[0] = i;
                for (int j = 1; j <= b.Length; j++)
                {
                    int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                }
                var swap = previous;
                previous = current;
                current = swap;
            }
            return previous[b.Length];
        }
    }
}
