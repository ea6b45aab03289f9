using System;
using System.Collections.Generic;
using System.Linq;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>
    /// The outcome of a Send-OfflineEvent run. Rows and events are counted apart (an order's lines are one event): rows add up
    /// as Read = DeliveredRows + Skipped + Rejected + NotSentRows + Unidentified; Delivered and NotSent count events.
    /// </summary>
    public sealed class DeliverySummary
    {
        internal DeliverySummary(string eventSetId, long read, long delivered, long rejected, long rejectedByApi, long skipped, long notSent,
            long duplicatesInInput, int batches, long requests, long retries, IReadOnlyList<string> requestIds, TimeSpan duration, bool whatIf, bool stopped,
            IReadOnlyDictionary<string, long> rejectsByRule, IReadOnlyDictionary<string, long> warningsByRule, string? journalPath, string? rejectPath, string? testEventCode)
        {
            EventSetId = eventSetId;
            Read = read;
            Delivered = delivered;
            Rejected = rejected;
            RejectedByApi = rejectedByApi;
            Skipped = skipped;
            NotSent = notSent;
            DuplicatesInInput = duplicatesInInput;
            Batches = batches;
            Requests = requests;
            Retries = retries;
            RequestIds = requestIds;
            Duration = duration;
            WhatIf = whatIf;
            Stopped = stopped;
            RejectsByRule = rejectsByRule;
            WarningsByRule = warningsByRule;
            JournalPath = journalPath;
            RejectPath = rejectPath;
            TestEventCode = testEventCode;
        }

        public string EventSetId { get; }
        /// <summary>Rows of the events TikTok acknowledged (an order's lines; one per event when rows are not grouped).</summary>
        public long DeliveredRows { get; internal set; }
        /// <summary>Rows of the events not delivered (see <see cref="NotSent"/>).</summary>
        public long NotSentRows { get; internal set; }
        /// <summary>Rows with neither email nor phone (on none of their order's lines): not sent, as TikTok cannot match them,
        /// and not rejects (-MaxRejectPercent leaves them out).</summary>
        public long Unidentified { get; internal set; }
        /// <summary>Events built from the rows (orders and rows sent alone), less those rejected.</summary>
        public long Events { get; internal set; }
        /// <summary>Rows in those events: RowsInEvents - Events lines were merged into their order's event.</summary>
        public long RowsInEvents { get; internal set; }
        /// <summary>Events with a valid email, a valid phone, both, neither (neither: not sent, their rows are Unidentified).</summary>
        public Rules.IdentityCoverage Coverage { get; internal set; } = new Rules.IdentityCoverage();
        /// <summary>Lines sent as events of their own because their order had been sent already (OrderNotGrouped).</summary>
        public long NotGrouped { get; internal set; }
        /// <summary>Rows read (files and pipeline).</summary>
        public long Read { get; }
        /// <summary>Events TikTok acknowledged in this run.</summary>
        public long Delivered { get; }
        /// <summary>Rows not sent because a rule or TikTok rejected them (see -RejectPath).</summary>
        public long Rejected { get; }
        /// <summary>Of <see cref="Rejected"/>, those TikTok rejected.</summary>
        public long RejectedByApi { get; }
        /// <summary>Events not sent because the journal says an earlier run delivered them, or because they repeat an event
        /// earlier in this run's input (see <see cref="DuplicatesInInput"/>): Delivered counts distinct events.</summary>
        public long Skipped { get; }
        /// <summary>Valid events not delivered: -WhatIf, a declined -Confirm, a stop, an outage, or a batch TikTok answered
        /// with 20001 (partial success). A rerun sends them.</summary>
        public long NotSent { get; }
        /// <summary>Of <see cref="Skipped"/>, rows that repeat an event (same event and event_id) earlier in the same run's
        /// input, journal or not: each is sent once.</summary>
        public long DuplicatesInInput { get; }
        public int Batches { get; }
        /// <summary>Requests made to event/track (a split batch makes several).</summary>
        public long Requests { get; }
        /// <summary>Attempts beyond the first, over all requests.</summary>
        public long Retries { get; }
        public IReadOnlyList<string> RequestIds { get; }
        public TimeSpan Duration { get; }
        public double EventsPerSecond => Duration.TotalSeconds > 0 ? Delivered / Duration.TotalSeconds : 0;
        public bool WhatIf { get; }
        /// <summary>The run was stopped (Ctrl+C) after the batches in flight.</summary>
        public bool Stopped { get; }
        /// <summary>Rejected rows per 100 rows that could have been sent (not skipped, not unidentified).</summary>
        public double RejectedPercent => Read - Skipped - Unidentified > 0 ? 100.0 * Rejected / (Read - Skipped - Unidentified) : 0;
        public IReadOnlyDictionary<string, long> RejectsByRule { get; }
        public IReadOnlyDictionary<string, long> WarningsByRule { get; }
        public string? JournalPath { get; }
        /// <summary>The reject file; null when no row was rejected, as none is written then.</summary>
        public string? RejectPath { get; }
        public string? TestEventCode { get; }

        public override string ToString() =>
            $"{Read:N0} rows in {Events:N0} events; {Delivered:N0} delivered, {Skipped:N0} skipped (journal or repeated in the input: {DuplicatesInInput:N0}), {Rejected:N0} rejected, {Unidentified:N0} unidentified, {NotSent:N0} not sent; {Batches:N0} batches, {Requests:N0} requests, {Retries:N0} retries in {Duration.TotalSeconds:0.0} s"
            + (RejectsByRule.Count > 0 ? "; rejects: " + string.Join(", ", RejectsByRule.Select(r => $"{r.Key} {r.Value:N0}")) : string.Empty);
    }
}
