using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using OfflineEvents.Core.Files;
using OfflineEvents.Core.Rules;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>What an export wrote.</summary>
    public sealed class UploadExportResult
    {
        internal UploadExportResult(IReadOnlyList<string> files, long read, long written, long rejected, IReadOnlyDictionary<string, long> rejectsByRule,
            IReadOnlyDictionary<string, long> warningsByRule, TimeSpan duration, bool whatIf, string? rejectPath)
        {
            Files = files;
            Read = read;
            Written = written;
            Rejected = rejected;
            RejectsByRule = rejectsByRule;
            WarningsByRule = warningsByRule;
            Duration = duration;
            WhatIf = whatIf;
            RejectPath = rejectPath;
        }

        /// <summary>The files written, in order (what -WhatIf would write).</summary>
        public IReadOnlyList<string> Files { get; }
        public long Read { get; }
        /// <summary>Rows written (Read = Written + Rejected + Skipped + Unidentified).</summary>
        public long Written { get; }
        /// <summary>Rows with neither email nor phone: TikTok's upload cannot match them, so they are not written (not rejects).</summary>
        public long Unidentified { get; internal set; }
        public long Rejected { get; }
        /// <summary>Rows the -EventTypeMap maps to no event: not written.</summary>
        public long Skipped { get; internal set; }
        public IReadOnlyDictionary<string, long> RejectsByRule { get; }
        public IReadOnlyDictionary<string, long> WarningsByRule { get; }
        public TimeSpan Duration { get; }
        public bool WhatIf { get; }
        public string? RejectPath { get; }
        public double RowsPerSecond => Duration.TotalSeconds > 0 ? Read / Duration.TotalSeconds : 0;

        public override string ToString() =>
            $"{Written:N0} rows written to {Files.Count} file(s), {Rejected:N0} rejected" + (Skipped > 0 ? $", {Skipped:N0} skipped" : string.Empty) + $", {Unidentified:N0} unidentified, in {Duration.TotalSeconds:0.0} s";
    }
}
