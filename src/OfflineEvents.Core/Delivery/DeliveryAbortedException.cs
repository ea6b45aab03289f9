using System;
using OfflineEvents.Core.Api;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>A run ended because nothing further could be delivered (authentication, a missing event set, an outage).</summary>
    public sealed class DeliveryAbortedException : Exception
    {
        public DeliveryAbortedException(string message, TikTokApiException inner) : base(message, inner) => ApiError = inner;

        /// <summary>The failure that ended the run; its Kind says which.</summary>
        public TikTokApiException ApiError { get; }

        /// <summary>True when the circuit breaker ended the run (a sustained outage).</summary>
        public bool CircuitBroken { get; internal set; }

        /// <summary>Set when the journal, not the API, failed (a full disk, a read-only file): the error names the journal.</summary>
        public JournalWriteException? JournalError { get; internal set; }

        /// <summary>Set when the run's own temporary files failed (see SeenEvents): the error names their folder.</summary>
        public TemporaryFileException? TemporaryFileError { get; internal set; }
    }
}
