using System.Collections.Generic;
using System.Linq;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>What the delivery engine needs besides: ShouldProcess per batch, and batch results.</summary>
    public interface IDeliveryHost : IRowHost
    {
        /// <summary>Whether to send this batch (ShouldProcess). Asked on the feeding thread, in batch order; a task so that
        /// the batch's sender awaits it without holding a thread-pool thread (PowerShell's host answers at once, on that thread).</summary>
        System.Threading.Tasks.Task<bool> ApproveAsync(int batch, int events, long firstRow, long lastRow);

        void BatchCompleted(BatchResult result);
    }
}
