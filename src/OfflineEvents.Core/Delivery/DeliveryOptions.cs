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

        /// <summary>Sent inside every event when set (as Segment's offline sender does): the events show in Events Manager's test
        /// tab only. TikTok documents test events mainly for web events.</summary>
        public string? TestEventCode { get; set; }

        /// <summary>Marks every event for limited data use.</summary>
        public bool LimitedDataUse { get; set; }

        /// <summary>The request's partner_name: sent only when set, as TikTok refuses unregistered names (40063).</summary>
        public string? PartnerName { get; set; }

        /// <summary>Where the host writes rejected rows; reported in the summary.</summary>
        public string? RejectPath { get; set; }

        /// <summary>Test-OfflineEventFile's default -MaxIssuesPerRule: the same bound for Send's error records.</summary>
        public const int DefaultRejectsReportedPerRule = 100;

        /// <summary>
        /// Rejected rows of one rule that the host reports one by one (Send writes them as error records); past that,
        /// a rule's rejects are counted (RejectsByRule) and still go to the reject file, so a file where every row breaks
        /// one rule gives a hundred errors and a count, not one error per row.
        /// </summary>
        public int RejectsReportedPerRule { get; set; } = DefaultRejectsReportedPerRule;

        /// <summary>
        /// The circuit breaker: a batch whose retries all failed with a transient error is tried again after
        /// <see cref="FailedBatchPause"/>; when one batch has failed this many times in a row, with no batch delivered
        /// meanwhile, the outage has lasted that many retry budgets and pauses, and the run ends. Batches in flight
        /// together count separately, so the outage a run rides out does not shrink with -ThrottleLimit.
        /// </summary>
        public int BreakAfterFailedBatches { get; set; } = 3;

        public TimeSpan FailedBatchPause { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>-GroupBy: the lines of an order become one event (Order), or every row is one (None).</summary>
        public EventGrouping GroupBy { get; set; } = EventGrouping.Order;

        public const int DefaultOrderWindow = 10_000;

        private int _orderWindow = DefaultOrderWindow;

        /// <summary>
        /// Orders kept open at once while their lines are collected. Lines need not be adjacent; when a new order would
        /// open more than this many, the oldest is sent as it is, and a line of it that comes later is sent as an event
        /// of its own, with a warning (OrderNotGrouped). Memory: the open orders' lines, a few hundred bytes each.
        /// </summary>
        public int OrderWindow
        {
            get => _orderWindow;
            set => _orderWindow = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(OrderWindow), "At least one order must be open.");
        }

        private int _seenEventsInMemory = SeenEvents.DefaultInMemory;

        /// <summary>
        /// Distinct events the run's check for repeated events (same event and event_id twice in the input) keeps in
        /// memory; past that, it spills them to sorted temporary files with a Bloom filter each, so memory stays flat on
        /// any input (see SeenEvents). Default 250,000 (about 8 MB).
        /// </summary>
        public int SeenEventsInMemory
        {
            get => _seenEventsInMemory;
            set => _seenEventsInMemory = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(SeenEventsInMemory), "At least one event must fit in memory.");
        }

        /// <summary>Where that check's temporary files go; null: the system's temporary folder (TMPDIR on Unix, TMP on Windows).</summary>
        public string? TemporaryFolder { get; set; }

        /// <summary>
        /// -JournalRetentionDays: the journal forgets events sent longer ago than this, so an event older than this
        /// is refused (TimestampBeyondRetention) instead of sent again. Null: the journal keeps everything.
        /// </summary>
        public int? JournalRetentionDays { get; set; }
    }
}
