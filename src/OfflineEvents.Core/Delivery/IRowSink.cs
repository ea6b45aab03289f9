using System.Collections.Generic;
using System.Linq;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>Where a reader puts rows: the delivery engine or the exporter.</summary>
    public interface IRowSink
    {
        /// <summary>Whether the run is ending: stop feeding.</summary>
        bool IsStopping { get; }

        /// <summary>The row rules (a default event type makes the event_type column optional).</summary>
        Rules.RowRuleOptions Rules { get; }

        /// <summary>Adds one row; false once the run is ending.</summary>
        bool Add(EventShape shape, long row, long line, string?[] fields, string? source);

        /// <summary>Rejects a row the reader could not take apart.</summary>
        void Reject(EventShape shape, long row, long line, string?[] fields, string? source, string ruleId, string column, string message);

        /// <summary>Progress of the file being read, in bytes.</summary>
        void SetPosition(string? source, long bytesRead, long totalBytes);
    }
}
