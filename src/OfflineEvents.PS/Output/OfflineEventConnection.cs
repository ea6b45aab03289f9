using System;

namespace OfflineEvents.PS.Output
{
    /// <summary>
    /// What Connect-OfflineEventApi -PassThru and Get-OfflineEventConnection report. Holds no token, only where it
    /// came from.
    /// </summary>
    public sealed class OfflineEventConnection
    {
        internal const string ByConnect = "Connect-OfflineEventApi";
        internal const string ByEnvironment = "Environment";

        internal OfflineEventConnection(string advertiserId, Uri apiBaseUri, string tokenSource, int eventSetCount, DateTime? connectedAt, string connectedBy)
        {
            AdvertiserId = advertiserId;
            ApiBaseUri = apiBaseUri;
            TokenSource = tokenSource;
            EventSetCount = eventSetCount;
            ConnectedAt = connectedAt;
            ConnectedBy = connectedBy;
        }

        public string AdvertiserId { get; }
        public Uri ApiBaseUri { get; }

        /// <summary>Parameter, Credential or Environment.</summary>
        public string TokenSource { get; }

        /// <summary>Offline event sets the advertiser had when the connection was checked; -1 when not checked.</summary>
        public int EventSetCount { get; }

        /// <summary>When Connect-OfflineEventApi made the connection; null for one read from the environment at each call.</summary>
        public DateTime? ConnectedAt { get; }

        /// <summary>Connect-OfflineEventApi, or Environment (the OFFLINEEVENTS_* variables, with no Connect).</summary>
        public string ConnectedBy { get; }
    }
}
