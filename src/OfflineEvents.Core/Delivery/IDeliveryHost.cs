using System.Collections.Generic;
using System.Linq;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>What the delivery engine needs besides: ShouldProcess per batch, and batch results.</summary>
    public interface IDeliveryHost : IRowHost
    {
        /// <summary>Whether to send this batch (ShouldProcess). Asynchronous: the host answers from its own thread,
        /// and a sender must not hold a thread-pool thread while it waits.</summary>
        System.Threading.Tasks.Task<bool> ApproveAsync(int batch, int events, long firstRow, long lastRow);

        void BatchCompleted(BatchResult result);
    }
}
