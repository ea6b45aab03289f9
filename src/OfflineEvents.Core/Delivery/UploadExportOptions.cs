using System;
using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;
using OfflineEvents.Core.Files;
using OfflineEvents.Core.Rules;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>What Export-OfflineEventFile writes, and how.</summary>
    public sealed class UploadExportOptions
    {
        public UploadExportOptions(string outputPath, RowRuleOptions? rows = null)
        {
            if (string.IsNullOrWhiteSpace(outputPath)) throw new ArgumentException("An output path is required.", nameof(outputPath));
            OutputPath = Path.GetFullPath(outputPath);
            Rows = rows ?? new RowRuleOptions();
        }

        /// <summary>The file to write; when the rows need more than one part: name-part001.csv, name-part002.csv, ...</summary>
        public string OutputPath { get; }

        public RowRuleOptions Rows { get; }

        private long _maxFileSize = 10_000_000;

        /// <summary>
        /// The largest part, in bytes: 10 MB by default, the limit of TikTok's upload steps and of its upload error
        /// message (its "Before you begin" says 50 MB).
        /// </summary>
        public long MaxFileSize
        {
            get => _maxFileSize;
            set => _maxFileSize = value >= 4096 ? value : throw new ArgumentOutOfRangeException(nameof(MaxFileSize), "Parts must be allowed at least 4 KB.");
        }

        /// <summary>Replace existing output files (and remove stale parts of an earlier export).</summary>
        public bool Force { get; set; }

        /// <summary>Read and check everything, write nothing (-WhatIf).</summary>
        public bool DryRun { get; set; }
    }
}
