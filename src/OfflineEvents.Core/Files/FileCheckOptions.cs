using System.IO;
using System.Threading;
using OfflineEvents.Core.Rules;

namespace OfflineEvents.Core.Files
{
    /// <summary>Limits and rules for checking a file.</summary>
    public sealed class FileCheckOptions
    {
        public FileCheckOptions(RowRuleOptions? rows = null) => Rows = rows ?? new RowRuleOptions();

        public RowRuleOptions Rows { get; }

        /// <summary>The file's encoding and delimiter (-Encoding, -Delimiter); the default is UTF-8 and commas.</summary>
        public CsvFileFormat Format { get; set; } = CsvFileFormat.Default;

        /// <summary>A larger file is an error: TikTok's "Before you begin" says uploads may be up to 50 MB.</summary>
        public long MaxFileSize { get; set; } = 50L * 1024 * 1024;

        /// <summary>A larger file gets a warning: TikTok's upload steps and its upload error say 10 MB.</summary>
        public long WarnFileSize { get; set; } = 10_000_000;

        /// <summary>Issues kept per rule; counts stay exact beyond it, so a bad 1 GB file cannot exhaust memory.</summary>
        public int MaxIssuesPerRule { get; set; } = 100;

        /// <summary>A record longer than this (an unclosed quote swallowing the file) stops the read.</summary>
        public int MaxRecordBytes { get; set; } = 1024 * 1024;

        /// <summary>
        /// Orders remembered for the duplicate check; beyond it, no new orders are checked. 1.4 million (25 MB) is
        /// more orders than a 50 MB upload file can hold, and keeps the check of a 1 GB file within 100 MB.
        /// </summary>
        public int MaxDuplicateKeys { get; set; } = 1_400_000;
    }
}
