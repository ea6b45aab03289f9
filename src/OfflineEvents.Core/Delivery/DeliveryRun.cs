using System;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>One Send-OfflineEvent run as its journal recorded it: when, what from, where to, and the counts. No PII.</summary>
    public sealed class DeliveryRun
    {
        internal DeliveryRun(long runId, DateTime started, DateTime? ended, string eventSetId, string inputs, string outcome,
            long? read, long delivered, long? skipped, long? rejected, long? notSent, int batches, string requestIds, string journalPath)
        {
            RunId = runId;
            Started = started;
            Ended = ended;
            EventSetId = eventSetId;
            Inputs = inputs;
            Outcome = outcome;
            Read = read;
            Delivered = delivered;
            Skipped = skipped;
            Rejected = rejected;
            NotSent = notSent;
            Batches = batches;
            RequestIds = requestIds;
            JournalPath = journalPath;
        }

        public long RunId { get; }
        /// <summary>UTC.</summary>
        public DateTime Started { get; }
        /// <summary>UTC; empty for a run that is still going or was killed.</summary>
        public DateTime? Ended { get; }
        public string EventSetId { get; }
        /// <summary>The files the run read, separated by "; " ("(pipeline)" for objects).</summary>
        public string Inputs { get; }
        /// <summary>Completed, Stopped, Failed, Running (it holds the journal now) or Interrupted (killed before its end).</summary>
        public string Outcome { get; }
        public long? Read { get; }
        /// <summary>Events TikTok acknowledged in this run (journaled as they were).</summary>
        public long Delivered { get; }
        public long? Skipped { get; }
        public long? Rejected { get; }
        public long? NotSent { get; }
        /// <summary>Acknowledged batches.</summary>
        public int Batches { get; }
        /// <summary>TikTok's request ids of the acknowledged batches, separated by "; ".</summary>
        public string RequestIds { get; }
        public string JournalPath { get; }

        public override string ToString() => $"Run {RunId} {Started:yyyy-MM-dd HH:mm:ss}Z {Outcome}: {Delivered:N0} delivered to {EventSetId}";
    }
}
