using System;

namespace OfflineEvents.Core.Api
{
    /// <summary>Where and as whom to call the Business API, and how patiently.</summary>
    public sealed class ApiConnection
    {
        /// <summary>TikTok's production Business API.</summary>
        public static readonly Uri ProductionBaseUri = new Uri("https://business-api.tiktok.com/open_api/v1.3/");

        public ApiConnection(string advertiserId, AccessToken accessToken, Uri? baseUri = null, RetrySettings? retry = null)
        {
            AdvertiserId = ValidateAdvertiserId(advertiserId);
            AccessToken = accessToken ?? throw new ArgumentNullException(nameof(accessToken));
            BaseUri = NormalizeBaseUri(baseUri ?? ProductionBaseUri);
            Retry = retry ?? new RetrySettings();
        }

        public string AdvertiserId { get; }
        public AccessToken AccessToken { get; }
        public Uri BaseUri { get; }
        public RetrySettings Retry { get; }

        /// <summary>
        /// Accepts a root (<c>http://127.0.0.1:5080</c>) or a full API base; appends <c>open_api/v1.3/</c>
        /// when missing and a trailing slash always. Plain http is refused except to loopback, so a token
        /// never crosses a network in clear text.
        /// </summary>
        public static Uri NormalizeBaseUri(Uri uri)
        {
            if (uri == null) throw new ArgumentNullException(nameof(uri));
            if (!uri.IsAbsoluteUri) throw new ArgumentException($"The API base URI '{uri}' is not absolute.", nameof(uri));
            if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
            {
                throw new ArgumentException(
                    $"The API base URI '{uri}' uses plain http. Use https; plain http is allowed only to a loopback address (the local sandbox).",
                    nameof(uri));
            }
            if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            {
                throw new ArgumentException($"The API base URI '{uri}' must use https.", nameof(uri));
            }
            string path = uri.AbsolutePath;
            if (path.IndexOf("/open_api/", StringComparison.Ordinal) < 0)
            {
                path = path.TrimEnd('/') + "/open_api/v1.3/";
            }
            if (!path.EndsWith("/", StringComparison.Ordinal)) path += "/";
            return new UriBuilder(uri) { Path = path, Query = string.Empty, Fragment = string.Empty }.Uri;
        }

        /// <summary>Advertiser ids are numeric strings (~19 digits); never numbers, which would lose precision.</summary>
        public static string ValidateAdvertiserId(string advertiserId)
        {
            string id = (advertiserId ?? string.Empty).Trim();
            if (id.Length == 0 || id.Length > 32 || !IsDigits(id))
            {
                throw new ArgumentException($"The advertiser id '{advertiserId}' is not valid: it must be a string of digits, such as 7000000000000000001.", nameof(advertiserId));
            }
            return id;
        }

        internal static bool IsDigits(string s)
        {
            foreach (char c in s)
            {
                if (c < '0' || c > '9') return false;
            }
            return s.Length > 0;
        }
    }
}
