using System;
using System.Collections.Generic;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>What happened to one batch (Send-OfflineEvent -PassThru).</summary>
    public sealed class BatchResult
    {
        internal BatchResult(int number, long firstRow, long lastRow, int events, int delivered, int rejected, int requests, int attempts,
            IReadOnlyList<string> requestIds, TimeSpan duration, bool sent, string? note)
        {
            Number = number;
            FirstRow = firstRow;
            LastRow = lastRow;
            Events = events;
            Delivered = delivered;
            Rejected = rejected;
            Requests = requests;
            Attempts = attempts;
            RequestIds = requestIds;
            Duration = duration;
            Sent = sent;
            Note = note;
        }

        public int Number { get; }
        public long FirstRow { get; }
        public long LastRow { get; }
        public int Events { get; }
        /// <summary>Events TikTok acknowledged.</summary>
        public int Delivered { get; }
        /// <summary>Events TikTok rejected (found by splitting the batch).</summary>
        public int Rejected { get; }
        /// <summary>Requests made for this batch (more than one when it was split).</summary>
        public int Requests { get; }
        /// <summary>HTTP attempts, retries included.</summary>
        public int Attempts { get; }
        public IReadOnlyList<string> RequestIds { get; }
        public TimeSpan Duration { get; }
        /// <summary>False under -WhatIf (or when -Confirm was declined): nothing was sent.</summary>
        public bool Sent { get; }
        /// <summary>What TikTok said beyond success (a partial success, 20001).</summary>
        public string? Note { get; }
    }
}
