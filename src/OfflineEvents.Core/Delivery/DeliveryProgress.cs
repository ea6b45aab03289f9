using System;
using System.Linq;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>Where a run is, for Write-Progress.</summary>
    public readonly struct DeliveryProgress
    {
        public DeliveryProgress(long read, long delivered, long rejected, long skipped, long bytesRead, long totalBytes, TimeSpan elapsed, string? source)
        {
            Read = read;
            Delivered = delivered;
            Rejected = rejected;
            Skipped = skipped;
            BytesRead = bytesRead;
            TotalBytes = totalBytes;
            Elapsed = elapsed;
            Source = source;
        }

        public long Read { get; }
        public long Delivered { get; }
        public long Rejected { get; }
        public long Skipped { get; }
        public long BytesRead { get; }
        /// <summary>Bytes of all input files; 0 when unknown (pipeline input).</summary>
        public long TotalBytes { get; }
        public TimeSpan Elapsed { get; }
        public string? Source { get; }
    }
}
