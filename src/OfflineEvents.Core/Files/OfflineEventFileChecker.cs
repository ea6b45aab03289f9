using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CsvHelper;
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

    /// <summary>
    /// Checks a manual-upload CSV against TikTok's rules and ours, streaming it once through CsvHelper: file,
    /// encoding, structure, then every row with <see cref="EventRowValidator"/>. Never throws for bad content;
    /// only for a path that does not exist.
    /// </summary>
    public sealed class OfflineEventFileChecker
    {
        private readonly FileCheckOptions _options;

        public OfflineEventFileChecker(FileCheckOptions? options = null) => _options = options ?? new FileCheckOptions();

        /// <param name="path">The file to check.</param>
        /// <param name="progress">Receives the bytes read so far, now and then.</param>
        /// <param name="cancellationToken">Stops the read between records.</param>
        public FileCheckResult Check(string path, Action<long>? progress = null, CancellationToken cancellationToken = default)
        {
            var issues = new IssueSink(path, _options.MaxIssuesPerRule);
            if (Directory.Exists(path))
            {
                issues.Add(0, 0, string.Empty, FileRuleIds.FileNotFile, Severity.Error, "is a directory, not a file");
                return issues.Result(0, 0);
            }
            var info = new FileInfo(path);
            if (!info.Exists) throw new FileNotFoundException($"No file at '{path}'.", path);
            if (!string.Equals(info.Extension, ".csv", StringComparison.OrdinalIgnoreCase))
            {
                issues.Add(0, 0, string.Empty, FileRuleIds.FileExtension, Severity.Error, $"has the extension '{info.Extension}'; TikTok's upload takes .csv files only");
            }
            if (info.Length == 0)
            {
                issues.Add(0, 0, string.Empty, FileRuleIds.FileEmpty, Severity.Error, "is empty (0 bytes)");
                return issues.Result(0, 0);
            }
            if (info.Length > _options.MaxFileSize)
            {
                issues.Add(0, 0, string.Empty, FileRuleIds.FileTooLarge, Severity.Error,
                    $"is {info.Length:N0} bytes, over the {_options.MaxFileSize:N0}-byte limit; split it (Export-OfflineEventFile -MaxFileSize)");
            }
            else if (info.Length > _options.WarnFileSize)
            {
                issues.Add(0, 0, string.Empty, FileRuleIds.FileLarge, Severity.Warning,
                    $"is {info.Length:N0} bytes, over the {_options.WarnFileSize:N0} bytes (10 MB) TikTok's upload steps allow; split it (Export-OfflineEventFile writes parts of at most 10 MB)");
            }

            Stream stream;
            try
            {
                stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                issues.Add(0, 0, string.Empty, FileRuleIds.FileUnreadable, Severity.Error, "cannot be read: " + ex.Message);
                return issues.Result(info.Length, 0);
            }
            using (stream)
            {
                var format = _options.Format;
                string? wideEncoding = format.IsWide ? null : UploadCsv.WideEncoding(stream);
                if (wideEncoding != null)
                {
                    issues.Add(1, 0, string.Empty, FileRuleIds.FileEncoding, Severity.Error, UploadCsv.WideFile(wideEncoding));
                    return issues.Result(info.Length, 0);
                }
                var scanner = new Utf8ScanningStream(stream, _options.MaxIssuesPerRule);
                long rows = ReadRecords(scanner, issues, progress, cancellationToken);
                // With -Encoding the bytes are not meant to be UTF-8; in a wide encoding, bytes are not characters.
                if (format.Encoding == null)
                {
                    foreach (var p in scanner.InvalidUtf8)
                    {
                        issues.Add(p.Line, 0, string.Empty, FileRuleIds.FileEncoding, Severity.Error, UploadCsv.NotUtf8(p));
                    }
                    issues.AddUncounted(FileRuleIds.FileEncoding, scanner.InvalidUtf8Count - scanner.InvalidUtf8.Count, Severity.Error);
                }
                if (format.Encoding != null && !format.Encoding.IsSingleByte) return issues.Result(info.Length, rows);
                foreach (var p in scanner.ControlCharacters)
                {
                    issues.Add(p.Line, 0, string.Empty, FileRuleIds.FileControlCharacters, Severity.Error,
                        $"control character 0x{p.Value:X2} at line {p.Line}, column {p.Column} (illegal characters)");
                }
                issues.AddUncounted(FileRuleIds.FileControlCharacters, scanner.ControlCharacterCount - scanner.ControlCharacters.Count, Severity.Error);
                return issues.Result(info.Length, rows);
            }
        }

        private long ReadRecords(Utf8ScanningStream input, IssueSink issues, Action<long>? progress, CancellationToken cancellationToken)
        {
            var csvOptions = UploadCsv.ReaderOptions(_options.MaxRecordBytes, format: _options.Format, onMalformedRecord: m =>
            {
                if (m.Reason == CsvMalformedReason.FieldCountMismatch) return; // reported below, with the counts
                bool unterminated = m.Reason == CsvMalformedReason.UnterminatedQuote;
                issues.Add(m.LineNumber, 0, string.Empty, unterminated ? FileRuleIds.QuoteUnterminated : FileRuleIds.QuoteMalformed, Severity.Error,
                    unterminated
                        ? $"a quoted field that starts on line {m.LineNumber} is never closed: the rest of the file reads as one value"
                        : $"line {m.LineNumber} has a stray quote ({m.Reason}): quote the whole field and double quotes inside it");
            });

            long rows = 0;
            using var reader = CsvReader.Create(input, csvOptions, leaveOpen: true);
            IReadOnlyList<string> headers;
            try
            {
                headers = reader.Headers.ToArray();
            }
            catch (CsvFormatException ex)
            {
                issues.Add(ex.LineNumber, 0, string.Empty, FileRuleIds.RecordTooLarge, Severity.Error, "the header cannot be read: " + ex.Message);
                return 0;
            }
            if (UploadCsv.DelimiterHint(headers, _options.Format.Delimiter) is string hint)
            {
                // Read with the wrong delimiter, every row would fail: one issue says what to add.
                issues.Add(1, 0, string.Empty, FileRuleIds.FileDelimiter, Severity.Error, hint);
                return 0;
            }
            var map = new ColumnMap(headers);
            bool checkRows = CheckHeader(headers, map, issues);
            var duplicates = checkRows ? new DuplicateDetector(map, _options.MaxDuplicateKeys) : null;
            // Rows are validated on worker threads in batches while this thread parses the next ones; results
            // are merged in batch order, so issues (and the first N kept per rule) stay in file order.
            var pending = new Queue<Task<(List<(long Line, long Row, RowIssue Issue)> Found, IdentityCoverage Coverage)>>();
            var batch = new List<(long Line, long Row, string?[] Fields)>(BatchRows);
            void Submit()
            {
                if (batch.Count == 0) return;
                var rowsToCheck = batch;
                batch = new List<(long, long, string?[])>(BatchRows);
                pending.Enqueue(Task.Run(() => ValidateBatch(map, rowsToCheck, issues.Wants)));
                while (pending.Count > MaxBatchesInFlight || (pending.Count > 0 && pending.Peek().IsCompleted)) Merge(pending.Dequeue());
            }
            void Merge(Task<(List<(long Line, long Row, RowIssue Issue)> Found, IdentityCoverage Coverage)> done)
            {
                var (found, coverage) = done.GetAwaiter().GetResult();
                issues.Coverage.Add(coverage);
                foreach (var (line, row, issue) in found)
                {
                    issues.Add(line, row, issue.Column, issue.RuleId, issue.Severity, issue.Message);
                }
            }
            long nextProgress = 0;
            try
            {
                while (reader.Read())
                {
                    rows++;
                    long row = reader.RowNumber, line = reader.LineNumber;
                    int count = reader.FieldCount;
                    if (count != headers.Count)
                    {
                        issues.Add(line, row, string.Empty, FileRuleIds.FieldCount, Severity.Error,
                            $"has {count:N0} fields; the header has {headers.Count} (an unquoted comma in a value?)");
                    }
                    if (duplicates == null) continue;
                    var fields = new string?[headers.Count];
                    for (int i = 0; i < fields.Length; i++) fields[i] = i < count ? reader.GetString(i) : null;
                    if (duplicates.IsDuplicate(fields, out long firstRow))
                    {
                        issues.Add(line, row, OfflineEventColumns.OrderId, FileRuleIds.DuplicateEvent, Severity.Warning,
                            $"repeats row {firstRow:N0} (same order_id, event_type and product_id): TikTok counts it once");
                    }
                    batch.Add((line, row, fields));
                    if (batch.Count >= BatchRows) Submit();
                    if (input.BytesRead >= nextProgress)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        progress?.Invoke(input.BytesRead);
                        nextProgress = input.BytesRead + (4 << 20);
                    }
                }
            }
            catch (CsvFormatException ex)
            {
                issues.Add(ex.LineNumber, 0, string.Empty, FileRuleIds.RecordTooLarge, Severity.Error,
                    $"the record starting on line {ex.LineNumber} is longer than {_options.MaxRecordBytes:N0} bytes (an unclosed quote?); reading stopped there");
            }
            finally
            {
                Submit();
                while (pending.Count > 0) Merge(pending.Dequeue());
            }
            if (rows == 0 && headers.Count > 0)
            {
                issues.Add(0, 0, string.Empty, FileRuleIds.NoEvents, Severity.Error, "has a header but no events");
            }
            if (duplicates != null && duplicates.Saturated)
            {
                issues.Add(0, 0, string.Empty, FileRuleIds.DuplicateEvent, Severity.Warning,
                    $"more than {_options.MaxDuplicateKeys:N0} distinct orders: later orders were not checked for duplicates");
            }
            progress?.Invoke(input.BytesRead);
            return rows;
        }

        private const int BatchRows = 512;
        private const int MaxBatchesInFlight = 2;

        private (List<(long Line, long Row, RowIssue Issue)>, IdentityCoverage) ValidateBatch(ColumnMap map, List<(long Line, long Row, string?[] Fields)> batch, Func<string, bool> describe)
        {
            var validator = new EventRowValidator(map, _options.Rows);
            var found = new List<(long, long, RowIssue)>();
            var rowIssues = new List<RowIssue>();
            var coverage = new IdentityCoverage();
            foreach (var (line, row, fields) in batch)
            {
                rowIssues.Clear();
                validator.Validate(fields, rowIssues, describe);
                coverage.Add(validator.EmailValid, validator.PhoneValid);
                foreach (var issue in rowIssues) found.Add((line, row, issue));
            }
            return (found, coverage);
        }

        /// <summary>Reports header problems; false when rows cannot be checked (no header, or a required column missing).</summary>
        private static bool CheckHeader(IReadOnlyList<string> headers, ColumnMap map, IssueSink issues)
        {
            if (!map.HasStandardColumns)
            {
                bool looksLikeData = headers.Any(h => h.Contains("@") || (h.Length >= 10 && char.IsDigit(h[0]) && h[4] == '-'));
                issues.Add(1, 0, string.Empty, FileRuleIds.HeaderMissing, Severity.Error,
                    looksLikeData
                        ? "the first line looks like data, not a header: add the header line event_type,email,phone,timestamp,..."
                        : "the first line has none of TikTok's column names (event_type, email, phone, timestamp, ...)");
                return false;
            }
            foreach (string missing in map.MissingRequired())
            {
                issues.Add(1, 0, missing, FileRuleIds.ColumnMissing, Severity.Error, $"the required column {missing} is missing");
            }
            foreach (string duplicate in map.Duplicates.Distinct())
            {
                issues.Add(1, 0, duplicate, FileRuleIds.ColumnDuplicate, Severity.Error, $"the column {duplicate} appears more than once");
            }
            foreach (string unknown in map.Unknown)
            {
                issues.Add(1, 0, unknown, FileRuleIds.ColumnUnknown, Severity.Warning, $"the column '{Pii.PiiMask.InMessage(unknown)}' is not one TikTok's upload knows; it will be ignored");
            }
            // Without a required column every row would repeat that one error: the header issue says it once.
            return map.MissingRequired().Count == 0;
        }

        /// <summary>Same order_id + event + product_id seen before; 64-bit keys keep memory bounded.</summary>
        private sealed class DuplicateDetector
        {
            private readonly int _order, _event, _product;
            private readonly FirstRowTable _seen;
            private long _row;

            public DuplicateDetector(ColumnMap map, int max)
            {
                _order = map[OfflineEventColumns.OrderId];
                _event = map[OfflineEventColumns.EventType];
                _product = map[OfflineEventColumns.ProductId];
                _seen = new FirstRowTable(max);
            }

            public bool Saturated { get; private set; }

            public bool IsDuplicate(string?[] fields, out long firstRow)
            {
                _row++;
                firstRow = 0;
                string order = _order >= 0 ? (fields[_order] ?? string.Empty).Trim() : string.Empty;
                if (order.Length == 0) return false;
                string eventName = _event >= 0 ? EventNames.ToApiName(fields[_event]) ?? (fields[_event] ?? string.Empty).Trim() : string.Empty;
                string product = _product >= 0 ? (fields[_product] ?? string.Empty).Trim() : string.Empty;
                ulong key = Fnv(order, Fnv(eventName, Fnv(product, 14695981039346656037UL)));
                switch (_seen.TryRemember(key, _row, out firstRow))
                {
                    case FirstRowTable.Remembered.Found:
                        return true;
                    case FirstRowTable.Remembered.Full:
                        Saturated = true;
                        return false;
                    default:
                        return false;
                }
            }

            private static ulong Fnv(string s, ulong hash)
            {
                foreach (char c in s)
                {
                    hash = (hash ^ c) * 1099511628211UL;
                }
                return (hash ^ 0xFF) * 1099511628211UL; // field separator
            }
        }

        /// <summary>Keeps the first N issues of each rule and exact counts of all.</summary>
        private sealed class IssueSink
        {
            private readonly string _path;
            private readonly int _keep;
            private readonly List<FileIssue> _issues = new List<FileIssue>();
            private readonly Dictionary<string, long> _counts = new Dictionary<string, long>(StringComparer.Ordinal);
            // Rules that have all the issues they keep; read by validation workers while this sink is written.
            private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _saturated =
                new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
            private long _errors, _warnings;
            private bool _truncated;

            public IssueSink(string path, int keep)
            {
                _path = path;
                _keep = Math.Max(1, keep);
            }

            public void Add(long line, long row, string column, string rule, Severity severity, string message)
            {
                _counts.TryGetValue(rule, out long count);
                _counts[rule] = count + 1;
                if (severity == Severity.Error) _errors++; else _warnings++;
                // Rows without email or phone are normal (walk-in sales): one issue says so, RuleCounts has how many.
                int keep = rule == RuleIds.IdentityMissing ? 1 : _keep;
                if (count < keep) _issues.Add(new FileIssue(_path, line, row, column, rule, severity, message));
                else _truncated = true;
                if (count + 1 == keep) _saturated[rule] = true; // once: each write takes a lock the workers' reads would meet
            }

            /// <summary>Whether issues of this rule are still kept (their messages are worth formatting). Thread-safe.</summary>
            public bool Wants(string rule) => !_saturated.ContainsKey(rule);

            /// <summary>Counts issues a scanner found but did not keep.</summary>
            public void AddUncounted(string rule, long more, Severity severity)
            {
                if (more <= 0) return;
                _counts.TryGetValue(rule, out long count);
                _counts[rule] = count + more;
                if (severity == Severity.Error) _errors += more; else _warnings += more;
                _truncated = true;
            }

            /// <summary>Rows with a valid email, phone, both, neither (rows the rules checked).</summary>
            public IdentityCoverage Coverage { get; } = new IdentityCoverage();

            public FileCheckResult Result(long bytes, long rows) =>
                new FileCheckResult(_path, bytes, rows, _errors, _warnings, _counts, _issues.OrderBy(i => i.Line).ThenBy(i => i.Row).ToList(), _truncated) { Coverage = Coverage };
        }
    }
}
