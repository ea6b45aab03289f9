using System.Collections.Generic;
using System.Linq;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>
    /// What the row engines (delivery, export) need from their host (a cmdlet): they report from worker
    /// threads, and the host writes from its own thread.
    /// </summary>
    public interface IRowHost : Diagnostics.IOperationLog
    {
        void Rejected(RejectedEvent rejected);

        void Progress(DeliveryProgress progress);

        /// <summary>Blocks the feeding thread until the task ends; a host may do its own work meanwhile.</summary>
        void Wait(System.Threading.Tasks.Task task);
    }
}
