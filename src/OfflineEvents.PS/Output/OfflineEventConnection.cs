using System;

namespace OfflineEvents.PS.Output
{
    /// <summary>What Connect-OfflineEventApi -PassThru reports. Holds no token, only where it came from.</summary>
    public sealed class OfflineEventConnection
    {
        internal OfflineEventConnection(string advertiserId, Uri apiBaseUri, string tokenSource, int eventSetCount, DateTime connectedAt)
        {
            AdvertiserId = advertiserId;
            ApiBaseUri = apiBaseUri;
            TokenSource = tokenSource;
            EventSetCount = eventSetCount;
            ConnectedAt = connectedAt;
        }

        public string AdvertiserId { get; }
        public Uri ApiBaseUri { get; }

        /// <summary>Parameter, Credential or Environment.</summary>
        public string TokenSource { get; }

        /// <summary>Offline event sets the advertiser had when the connection was checked; -1 when not checked.</summary>
        public int EventSetCount { get; }

        public DateTime ConnectedAt { get; }
    }
}
