using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OfflineEvents.Core.Delivery;
using OfflineEvents.Core.Rules;

namespace OfflineEvents.Core.Files
{
    /// <summary>
    /// The checking sink of Test-OfflineEventFile, for pipeline rows (-InputObject) and for files (fed by
    /// <see cref="EventFileReader"/>, whose findings it takes as issues): the column resolver's header checks, duplicates and
    /// the row rules, one result. Rows are validated on workers in batches while the feeding thread reads the next
    /// ones; results are merged in input order, so issues (and the first N kept per rule) stay in that order.
    /// Feeding thread only.
    /// </summary>
    public sealed class RowChecker : IRowSink, IFileFindings
    {
        private const int BatchRows = 512;
        private const int MaxBatchesInFlight = 2;

        private readonly FileCheckOptions _options;
        private readonly IssueSink _issues;
        private readonly CancellationToken _stop;
        private readonly Queue<Task<Checked>> _pending = new Queue<Task<Checked>>();
        private List<(EventShape Shape, long Line, long Row, string?[] Fields)> _batch = new List<(EventShape, long, long, string?[])>(BatchRows);
        private EventShape? _shape;
        private DuplicateDetector? _duplicates;
        private bool _checkRows;
        private long _headerLine;
        private long _rows;

        /// <param name="name">What the result's Path says the rows were: the file, or e.g. "InputObject".</param>
        /// <param name="options">The rules and limits.</param>
        /// <param name="stop">Ends the feeding (Ctrl+C).</param>
        public RowChecker(string name, FileCheckOptions options, CancellationToken stop = default)
        {
            _options = options;
            _stop = stop;
            _issues = new IssueSink(name, options.MaxIssuesPerRule);
        }

        /// <summary>Receives the bytes read of a file, every 4 MB or so. Feeding thread.</summary>
        public Action<long>? Progress { get; set; }

        private long _nextProgress;

        public bool IsStopping => _stop.IsCancellationRequested;

        public RowRuleOptions Rules => _options.Rows;

        public int KeepPerRule => _options.MaxIssuesPerRule;

        public bool Add(EventShape shape, long row, long line, string?[] fields, string? source)
        {
            _rows++;
            Use(shape, _headerLine);
            Check(shape, row, line, fields);
            return !IsStopping;
        }

        public void Reject(EventShape shape, long row, long line, string?[] fields, string? source, string ruleId, string column, string message)
        {
            _rows++;
            Use(shape, _headerLine);
            _issues.Add(line, row, column, ruleId, Severity.Error, message);
            // A row with too many or too few fields is checked as it reads besides: what a shifted value breaks is named (masked).
            if (ruleId == FileRuleIds.FieldCount) Check(shape, row, line, fields);
        }

        private void Check(EventShape shape, long row, long line, string?[] fields)
        {
            if (!_checkRows) return;
            if (_duplicates!.IsDuplicate(fields, row, out long firstRow))
            {
                _issues.Add(line, row, OfflineEventColumns.OrderId, FileRuleIds.DuplicateEvent, Severity.Warning,
                    $"repeats row {firstRow:N0} (same order_id, event_type and product_id): TikTok counts it once");
            }
            _batch.Add((shape, line, row, fields));
            if (_batch.Count >= BatchRows) Submit();
        }

        public void SetPosition(string? source, long bytesRead, long totalBytes)
        {
            if (Progress == null || bytesRead < _nextProgress) return;
            Progress(bytesRead);
            _nextProgress = bytesRead + (4 << 20);
        }

        public void Found(long line, string column, string rule, Severity severity, string message) => _issues.Add(line, 0, column, rule, severity, message);

        public void FoundMore(string rule, long count, Severity severity) => _issues.AddUncounted(rule, count, severity);

        /// <summary>The rows come from a file (its header is checked even when no row follows).</summary>
        internal bool ReadsFile { get; set; }

        public void Header(EventShape shape, long line)
        {
            _headerLine = line;
            Use(shape, line);
        }

        /// <summary>The header checks once per shape (objects of one kind share one).</summary>
        private void Use(EventShape shape, long line)
        {
            if (ReferenceEquals(shape, _shape)) return;
            _shape = shape;
            _issues.Columns = shape.Map.Sources;
            _checkRows = CheckHeader(shape.Map, _issues, _options.Rows, line);
            _duplicates = new DuplicateDetector(shape.Map, _options.MaxDuplicateKeys);
        }

        /// <summary>
        /// Reports header problems; false when rows cannot be checked (no header, or a required column missing).
        /// A column the module reads under a name TikTok's manual upload does not know is a warning about the upload
        /// only: Send-OfflineEvent and Export-OfflineEventFile read it as it is.
        /// </summary>
        private static bool CheckHeader(ColumnMap map, IssueSink issues, RowRuleOptions rules, long line)
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

        private void Submit()
        {
            if (_batch.Count == 0) return;
            var rows = _batch;
            _batch = new List<(EventShape, long, long, string?[])>(BatchRows);
            _pending.Enqueue(Task.Run(() => Validate(rows)));
            while (_pending.Count > MaxBatchesInFlight || (_pending.Count > 0 && _pending.Peek().IsCompleted)) Merge(_pending.Dequeue());
        }

        private void Merge(Task<Checked> done)
        {
            var result = done.GetAwaiter().GetResult();
            _issues.Skipped += result.Skipped;
            _issues.Coverage.Add(result.Coverage);
            foreach (var (line, row, issue) in result.Issues) _issues.Add(line, row, issue.Column, issue.RuleId, issue.Severity, issue.Message);
        }

        // On a worker: the row rules only; every count and issue is merged on the feeding thread.
        private Checked Validate(List<(EventShape Shape, long Line, long Row, string?[] Fields)> rows)
        {
            var result = new Checked();
            var rowIssues = new List<RowIssue>();
            EventShape? shape = null;
            EventRowValidator? validator = null;
            foreach (var (rowShape, line, row, fields) in rows)
            {
                if (!ReferenceEquals(rowShape, shape))
                {
                    shape = rowShape;
                    validator = new EventRowValidator(shape.Map, _options.Rows);
                }
                rowIssues.Clear();
                validator!.Validate(fields, rowIssues, _issues.Wants);
                if (validator.Skipped) result.Skipped++;
                else result.Coverage.Add(validator.EmailValid, validator.PhoneValid);
                foreach (var issue in rowIssues) result.Issues.Add((line, row, issue));
            }
            return result;
        }

        /// <summary>What the rows held (waits for the batches still being validated).</summary>
        public FileCheckResult Result(long bytes = 0)
        {
            Submit();
            while (_pending.Count > 0) Merge(_pending.Dequeue());
            if (_shape != null && _shape.Map.EventTypeValuesHint(_issues.Count(RuleIds.EventTypeUnknown), _options.Rows.EventTypeMap != null) is string eventHint)
            {
                _issues.Add(_headerLine, 0, _shape.Headers[_shape.Map[OfflineEventColumns.EventType]], FileRuleIds.EventTypeColumn, Severity.Warning, eventHint);
            }
            // A file refused before its header (encoding, delimiter) has no rows to miss.
            if (_rows == 0 && !ReadsFile) _issues.Add(0, 0, string.Empty, FileRuleIds.NoEvents, Severity.Error, "no rows came in");
            else if (_rows == 0 && _shape != null) _issues.Add(0, 0, string.Empty, FileRuleIds.NoEvents, Severity.Error, "has a header but no events");
            if (_duplicates != null && _duplicates.Saturated)
            {
                _issues.Add(0, 0, string.Empty, FileRuleIds.DuplicateEvent, Severity.Warning,
                    $"more than {_options.MaxDuplicateKeys:N0} distinct orders: later orders were not checked for duplicates");
            }
            return _issues.Result(bytes, _rows);
        }

        private sealed class Checked
        {
            public List<(long Line, long Row, RowIssue Issue)> Issues { get; } = new List<(long, long, RowIssue)>();
            public long Skipped;
            public IdentityCoverage Coverage { get; } = new IdentityCoverage();
        }
    }
}
