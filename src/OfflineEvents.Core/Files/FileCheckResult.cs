using System.Collections.Generic;
using OfflineEvents.Core.Rules;

namespace OfflineEvents.Core.Files
{
    /// <summary>What Test-OfflineEventFile found in one file.</summary>
    public sealed class FileCheckResult
    {
        internal FileCheckResult(string path, long bytes, long rows, long errors, long warnings, IReadOnlyDictionary<string, long> ruleCounts, IReadOnlyList<FileIssue> issues, bool issuesTruncated,
            IReadOnlyList<ColumnSource> columns, long skipped)
        {
            Columns = columns;
            Skipped = skipped;
            Path = path;
            Bytes = bytes;
            Rows = rows;
            Errors = errors;
            Warnings = warnings;
            RuleCounts = ruleCounts;
            Issues = issues;
            IssuesTruncated = issuesTruncated;
        }

        public string Path { get; }

        /// <summary>No errors: TikTok's upload should take the file. Warnings do not count.</summary>
        public bool IsValid => Errors == 0;

        public long Bytes { get; }

        /// <summary>Data rows read, the header not counted.</summary>
        public long Rows { get; }

        public long Errors { get; }
        public long Warnings { get; }

        /// <summary>Exact number of issues per rule id, including those not kept in <see cref="Issues"/>.</summary>
        public IReadOnlyDictionary<string, long> RuleCounts { get; }

        /// <summary>The issues, at most the per-rule limit of each rule, in file order.</summary>
        public IReadOnlyList<FileIssue> Issues { get; }

        /// <summary>Some rules had more issues than were kept.</summary>
        public bool IssuesTruncated { get; }

        /// <summary>Which source column feeds which field (detected by name, or from -ColumnMap): what Send and Export read.</summary>
        public IReadOnlyList<ColumnSource> Columns { get; }

        /// <summary>Rows the -EventTypeMap maps to no event: Send and Export skip them; no rule checks them.</summary>
        public long Skipped { get; }

        /// <summary>Rows with a valid email, a valid phone, both, neither: the match potential before anything is sent.</summary>
        public IdentityCoverage Coverage { get; internal set; } = new IdentityCoverage();

        /// <summary>Rows with neither email nor phone: not errors (walk-in sales); Send counts them as Unidentified and does not send them.</summary>
        public long Unidentified => RuleCounts.TryGetValue(RuleIds.IdentityMissing, out long n) ? n : 0;
    }
}
