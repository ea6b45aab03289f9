using System.Collections.Generic;
using OfflineEvents.Core.Delivery;
using OfflineEvents.Core.Rules;

namespace OfflineEvents.Core.Files
{
    /// <summary>
    /// Checks rows that do not come from a file (Test-OfflineEventFile -InputObject): the same column resolver, header
    /// checks and row rules as a file's check, one result for all the rows. Feeding thread only.
    /// </summary>
    public sealed class RowChecker : IRowSink
    {
        private readonly FileCheckOptions _options;
        private readonly IssueSink _issues;
        private readonly List<RowIssue> _rowIssues = new List<RowIssue>();
        private EventShape? _shape;
        private EventRowValidator? _validator;
        private DuplicateDetector? _duplicates;
        private bool _checkRows;
        private long _rows;

        /// <param name="name">What the result's Path says the rows were (e.g. "InputObject").</param>
        /// <param name="options">The rules and limits, as for a file.</param>
        public RowChecker(string name, FileCheckOptions options)
        {
            _options = options;
            _issues = new IssueSink(name, options.MaxIssuesPerRule);
        }

        public bool IsStopping => false;

        public RowRuleOptions Rules => _options.Rows;

        public bool Add(EventShape shape, long row, long line, string?[] fields, string? source)
        {
            _rows++;
            if (!Use(shape) || !_checkRows) return true;
            if (_duplicates!.IsDuplicate(fields, out long firstRow))
            {
                _issues.Add(line, row, OfflineEventColumns.OrderId, FileRuleIds.DuplicateEvent, Severity.Warning,
                    $"repeats row {firstRow:N0} (same order_id, event_type and product_id): TikTok counts it once");
            }
            _rowIssues.Clear();
            _validator!.Validate(fields, _rowIssues, _issues.Wants);
            if (_validator.Skipped) _issues.Skipped++;
            else _issues.Coverage.Add(_validator.EmailValid, _validator.PhoneValid);
            foreach (var issue in _rowIssues) _issues.Add(line, row, issue.Column, issue.RuleId, issue.Severity, issue.Message);
            return true;
        }

        public void Reject(EventShape shape, long row, long line, string?[] fields, string? source, string ruleId, string column, string message)
        {
            _rows++;
            Use(shape);
            _issues.Add(line, row, column, ruleId, Severity.Error, message);
        }

        public void SetPosition(string? source, long bytesRead, long totalBytes)
        {
        }

        /// <summary>The header checks once per shape (objects of one kind share one).</summary>
        private bool Use(EventShape shape)
        {
            if (ReferenceEquals(shape, _shape)) return true;
            _shape = shape;
            _issues.Columns = shape.Map.Sources;
            _checkRows = OfflineEventFileChecker.CheckHeader(shape.Map, _issues, _options.Rows, 0);
            _validator = new EventRowValidator(shape.Map, _options.Rows);
            _duplicates = new DuplicateDetector(shape.Map, _options.MaxDuplicateKeys);
            return true;
        }

        /// <summary>What the rows held.</summary>
        public FileCheckResult Result()
        {
            if (_shape != null && _shape.Map.EventTypeValuesHint(_issues.Count(RuleIds.EventTypeUnknown), _options.Rows.EventTypeMap != null) is string eventHint)
            {
                _issues.Add(0, 0, _shape.Headers[_shape.Map[OfflineEventColumns.EventType]], FileRuleIds.EventTypeColumn, Severity.Warning, eventHint);
            }
            if (_rows == 0) _issues.Add(0, 0, string.Empty, FileRuleIds.NoEvents, Severity.Error, "no rows came in");
            return _issues.Result(0, _rows);
        }
    }
}
