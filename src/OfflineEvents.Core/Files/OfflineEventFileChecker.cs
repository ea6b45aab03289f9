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
        /// <param name="describe">Receives, once, which column feeds which field (for Verbose).</param>
        /// <exception cref="ColumnMapException">The -ColumnMap names a column the file does not have.</exception>
        public FileCheckResult Check(string path, Action<long>? progress = null, CancellationToken cancellationToken = default, Action<string>? describe = null)
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
                long rows = ReadRecords(scanner, issues, progress, cancellationToken, describe);
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

        private long ReadRecords(Utf8ScanningStream input, IssueSink issues, Action<long>? progress, CancellationToken cancellationToken, Action<string>? describe)
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
            // The same resolver as Send and Export: a column they read is checked here too, whatever its name.
            var map = new ColumnMap(headers, ColumnMatching.Aliases, _options.Rows.Columns);
            issues.Columns = map.Sources;
            describe?.Invoke(map.Describe());
            bool checkRows = CheckHeader(map, issues, _options.Rows, 1);
            var duplicates = checkRows ? new DuplicateDetector(map, _options.MaxDuplicateKeys) : null;
            // Rows are validated on worker threads in batches while this thread parses the next ones; results
            // are merged in batch order, so issues (and the first N kept per rule) stay in file order.
            var pending = new Queue<Task<(List<(long Line, long Row, RowIssue Issue)> Issues, long Skipped, IdentityCoverage Coverage)>>();
            var batch = new List<(long Line, long Row, string?[] Fields)>(BatchRows);
            void Submit()
            {
                if (batch.Count == 0) return;
                var rowsToCheck = batch;
                batch = new List<(long, long, string?[])>(BatchRows);
                pending.Enqueue(Task.Run(() => ValidateBatch(map, rowsToCheck, issues.Wants)));
                while (pending.Count > MaxBatchesInFlight || (pending.Count > 0 && pending.Peek().IsCompleted)) Merge(pending.Dequeue());
            }
            void Merge(Task<(List<(long Line, long Row, RowIssue Issue)> Issues, long Skipped, IdentityCoverage Coverage)> done)
            {
                var (found, skipped, coverage) = done.GetAwaiter().GetResult();
                issues.Skipped += skipped;
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
            if (map.EventTypeValuesHint(issues.Count(RuleIds.EventTypeUnknown), _options.Rows.EventTypeMap != null) is string eventHint)
            {
                issues.Add(1, 0, headers[map[OfflineEventColumns.EventType]], FileRuleIds.EventTypeColumn, Severity.Warning, eventHint);
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

        private (List<(long Line, long Row, RowIssue Issue)>, long Skipped, IdentityCoverage Coverage) ValidateBatch(ColumnMap map, List<(long Line, long Row, string?[] Fields)> batch, Func<string, bool> describe)
        {
            var validator = new EventRowValidator(map, _options.Rows);
            var found = new List<(long, long, RowIssue)>();
            var rowIssues = new List<RowIssue>();
            long skipped = 0;
            var coverage = new IdentityCoverage();
            foreach (var (line, row, fields) in batch)
            {
                rowIssues.Clear();
                validator.Validate(fields, rowIssues, describe);
                if (validator.Skipped) skipped++;
                else coverage.Add(validator.EmailValid, validator.PhoneValid);
                foreach (var issue in rowIssues) found.Add((line, row, issue));
            }
            return (found, skipped, coverage);
        }

        /// <summary>
        /// Reports header problems; false when rows cannot be checked (no header, or a required column missing).
        /// A column the module reads under a name TikTok's manual upload does not know is a warning about the upload
        /// only: Send-OfflineEvent and Export-OfflineEventFile read it as it is.
        /// </summary>
        internal static bool CheckHeader(ColumnMap map, IssueSink issues, RowRuleOptions rules, long line)
        {
            var headers = map.Headers;
            if (!map.HasStandardColumns)
            {
                bool looksLikeData = headers.Any(h => h.Contains("@") || (h.Length >= 10 && char.IsDigit(h[0]) && h[4] == '-'));
                issues.Add(line, 0, string.Empty, FileRuleIds.HeaderMissing, Severity.Error,
                    looksLikeData
                        ? "the first line looks like data, not a header: add the header line event_type,email,phone,timestamp,..."
                        : "the first line has none of TikTok's column names (event_type, email, phone, timestamp, ...) nor a usual spelling of them; name the columns with -ColumnMap");
                return false;
            }
            var missing = map.MissingRequired(rules.DefaultEventType != null);
            foreach (string column in missing)
            {
                issues.Add(line, 0, column, FileRuleIds.ColumnMissing, Severity.Error, $"the required column {column} is missing" + map.MissingHint(missing));
            }
            foreach (string duplicate in map.Duplicates.Distinct())
            {
                var columns = map.Sources.Where(c => c.Field == duplicate).Select(c => "'" + Pii.PiiMask.InMessage(c.Column) + "'");
                issues.Add(line, 0, duplicate, FileRuleIds.ColumnDuplicate, Severity.Error,
                    $"the column {duplicate} appears more than once ({string.Join(", ", columns)}): the first is read; name the one to read with -ColumnMap");
            }
            foreach (var source in map.Sources)
            {
                if (source.Kind == ColumnSourceKind.Name) continue;
                string shown = Pii.PiiMask.InMessage(source.Column);
                string how = source.Kind == ColumnSourceKind.ColumnMap ? "-ColumnMap takes it" : "it is a usual spelling";
                issues.Add(line, 0, source.Column, FileRuleIds.ColumnAlias, Severity.Warning, OfflineEventColumns.All.Contains(source.Field)
                    ? $"the column '{shown}' is read as {source.Field} ({how}) when sent or exported; for a manual upload of this file, TikTok knows only the name '{source.Field}': rename it, or write the upload file with Export-OfflineEventFile"
                    : $"the column '{shown}' is read as {source.Field} ({how}) when sent; TikTok's manual upload has no such column (Export-OfflineEventFile leaves it out)");
            }
            for (int i = 0; i < headers.Count; i++)
            {
                if (map.Sources.Any(s => s.Index == i)) continue;
                string header = headers[i] ?? string.Empty;
                string shown = Pii.PiiMask.InMessage(header);
                string? instead = map.OverriddenField(i);
                string? near = instead == null ? ColumnMap.SuggestField(header) : null;
                issues.Add(line, 0, header, FileRuleIds.ColumnUnknown, Severity.Warning, instead != null
                    ? $"the column '{shown}' is not read: -ColumnMap takes {instead} from another column"
                    : $"the column '{shown}' is not read (not one of TikTok's columns or their usual spellings), and TikTok's manual upload ignores it"
                        + (near != null ? $": did you mean {near}? Name it with -ColumnMap @{{ {near} = '{shown}' }}" : string.Empty));
            }
            // Without a required column every row would repeat that one error: the header issue says it once.
            return missing.Count == 0;
        }
    }
}
