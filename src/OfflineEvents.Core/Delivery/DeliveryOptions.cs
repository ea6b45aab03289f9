using System;
using OfflineEvents.Core.Rules;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>How a run of Send-OfflineEvent delivers: the event set, batching, pacing and what ends a run.</summary>
    public sealed class DeliveryOptions
    {
        public const int MaxBatchSizeAllowed = 1000;

        public DeliveryOptions(string eventSetId, RowRuleOptions? rows = null)
        {
            if (string.IsNullOrWhiteSpace(eventSetId)) throw new ArgumentException("An event set id is required.", nameof(eventSetId));
            EventSetId = eventSetId.Trim();
            Rows = rows ?? new RowRuleOptions();
        }

        public string EventSetId { get; }

        /// <summary>The row rules (and the PII normalizer) shared with Test-OfflineEventFile.</summary>
        public RowRuleOptions Rows { get; }

        private int _batchSize = MaxBatchSizeAllowed;

        /// <summary>Events per request: TikTok takes 1 to 1,000.</summary>
        public int BatchSize
        {
            get => _batchSize;
            set => _batchSize = value >= 1 && value <= MaxBatchSizeAllowed ? value : throw new ArgumentOutOfRangeException(nameof(BatchSize), "A batch holds 1 to 1,000 events.");
        }

        /// <summary>Batches sent at the same time.</summary>
        public int MaxBatchesInFlight { get; set; } = 4;

        /// <summary>A client-side cap on requests per second; 0 for none.</summary>
        public double MaxRequestsPerSecond { get; set; }

        /// <summary>Sent at the top level of every request when set: the events show in Events Manager's test tab only.</summary>
        public string? TestEventCode { get; set; }

        /// <summary>Marks every event for limited data use.</summary>
        public bool LimitedDataUse { get; set; }

        public string PartnerName { get; set; } = "OfflineEvents.PS";

        /// <summary>Where the host writes rejected rows; reported in the summary.</summary>
        public string? RejectPath { get; set; }

        /// <summary>
        /// The circuit breaker: a batch whose retries all failed with a transient error is tried again after
        /// <see cref="FailedBatchPause"/>; this many such failures in a row, with no batch delivered between them,
        /// mean a sustained outage and end the run.
        /// </summary>
        public int BreakAfterFailedBatches { get; set; } = 3;

        public TimeSpan FailedBatchPause { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>
        /// -JournalRetentionDays: the journal forgets events sent longer ago than this, so an event older than this
        /// is refused (TimestampBeyondRetention) instead of sent again. Null: the journal keeps everything.
        /// </summary>
        public int? JournalRetentionDays { get; set; }
    }
}
