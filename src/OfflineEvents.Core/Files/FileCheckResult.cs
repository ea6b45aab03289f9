using System.Collections.Generic;
using OfflineEvents.Core.Rules;

namespace OfflineEvents.Core.Files
{
    /// <summary>Stable ids of the file and structure rules (row rules: <see cref="RuleIds"/>).</summary>
    public static class FileRuleIds
    {
        public const string FileNotFile = "FileNotFile";
        public const string FileExtension = "FileExtension";
        public const string FileEmpty = "FileEmpty";
        public const string FileTooLarge = "FileTooLarge";
        public const string FileLarge = "FileLarge";
        public const string FileUnreadable = "FileUnreadable";
        public const string FileEncoding = "FileEncoding";
        public const string FileDelimiter = "FileDelimiter";
        public const string FileControlCharacters = "FileControlCharacters";
        public const string HeaderMissing = "HeaderMissing";
        public const string ColumnMissing = "ColumnMissing";
        public const string ColumnDuplicate = "ColumnDuplicate";
        public const string ColumnUnknown = "ColumnUnknown";
        /// <summary>A column read under a name that is not TikTok's (a usual spelling, or -ColumnMap): fine to send, not for a manual upload.</summary>
        public const string ColumnAlias = "ColumnAlias";
        /// <summary>The event_type column holds values that are no TikTok event (an export's own vocabulary): -EventTypeMap.</summary>
        public const string EventTypeColumn = "EventTypeColumn";
        public const string FieldCount = "FieldCount";
        public const string QuoteUnterminated = "QuoteUnterminated";
        public const string QuoteMalformed = "QuoteMalformed";
        public const string RecordTooLarge = "RecordTooLarge";
        public const string NoEvents = "NoEvents";
        public const string DuplicateEvent = "DuplicateEvent";
    }

    /// <summary>One problem, placed as precisely as it can be: file line and data row (0 when not about a row), column.</summary>
    public sealed class FileIssue
    {
        public FileIssue(string path, long line, long row, string column, string rule, Severity severity, string message)
        {
            Path = path;
            Line = line;
            Row = row;
            Column = column;
            Rule = rule;
            Severity = severity;
            Message = message;
        }

        public string Path { get; }

        /// <summary>1-based line of the file where the record starts (0: the file as a whole).</summary>
        public long Line { get; }

        /// <summary>1-based data row, the header not counted (0: not about a row).</summary>
        public long Row { get; }

        public string Column { get; }
        public string Rule { get; }
        public Severity Severity { get; }
        public string Message { get; }

        public override string ToString() => Line > 0 ? $"line {Line}: {Severity} {Rule}: {Message}" : $"{Severity} {Rule}: {Message}";
    }

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
