using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using OfflineEvents.Core.Files;
using OfflineEvents.Core.Rules;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>
    /// Writes rows as TikTok manual-upload CSVs: the standard header and column order, display event names,
    /// ISO-8601 UTC timestamps, PII hashed with the shared normalizer, invalid rows rejected by the shared rules,
    /// formula-like cells escaped, split at row boundaries into parts no larger than MaxFileSize. Every part is
    /// written to a temporary file and renamed into place only when the whole export has succeeded.
    /// </summary>
    public sealed class UploadFileExporter : IRowSink, IDisposable
    {
        private readonly UploadExportOptions _options;
        private readonly IRowHost _host;
        private readonly RowFeed _feed;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly List<(string Temp, long Rows)> _parts = new List<(string, long)>();
        private readonly RuleCounts _rejects = new RuleCounts();
        private readonly EventTypeHint _eventTypeHint = new EventTypeHint();
        private long _unidentified;
        // The export escapes formula-like cells, so that warning no longer applies to what is written.
        private readonly WarningTally _warnings = new WarningTally(rule => rule != RuleIds.FormulaCell);
        private FileStream? _part;
        private long _partBytes, _written, _skipped;
        private bool _committed, _stopping;

        public UploadFileExporter(UploadExportOptions options, IRowHost host)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            _host = host ?? throw new ArgumentNullException(nameof(host));
            var conflicts = ExistingOutputs();
            if (conflicts.Count > 0 && !options.Force)
            {
                throw new IOException($"'{conflicts[0]}' exists{(conflicts.Count > 1 ? $" (and {conflicts.Count - 1} more part(s))" : string.Empty)}; use -Force to replace it.");
            }
            if (!options.DryRun) TempFiles.RemoveStale(options.OutputPath);
            var described = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
            _feed = new RowFeed(new OrderedPreparer(shape => new EventPreparer(shape, new DeliveryOptions("0", options.Rows), described), (p, row) => p.Prepare(row, json: false), MergeRow, host.Wait),
                _clock, () => _host.Progress(new DeliveryProgress(_feed!.Read, _written, _rejects.Total, 0, _feed.BytesRead, _feed.TotalBytes, _clock.Elapsed, _feed.Source)));
        }

        public bool IsStopping => _stopping;

        public RowRuleOptions Rules => _options.Rows;

        public void Stop() => _stopping = true;

        public void SetPosition(string? source, long bytesRead, long totalBytes) => _feed.SetPosition(source, bytesRead, totalBytes);

        public bool Add(EventShape shape, long row, long line, string?[] fields, string? source)
        {
            if (_stopping) return false;
            _feed.Add(shape, row, line, fields, source);
            return true;
        }

        public void Reject(EventShape shape, long row, long line, string?[] fields, string? source, string ruleId, string column, string message)
        {
            if (!_stopping) _feed.Reject(shape, row, line, fields, source, ruleId, column, message);
        }

        /// <summary>Rows read so far, rejected ones included.</summary>
        public long Read => _feed.Read;

        /// <summary>Writes what is left and renames the parts into place. Returns what was written.</summary>
        /// <param name="rejectPath">The run's reject file, for the result.</param>
        /// <param name="headerOnlyWhenEmpty">
        /// Without valid rows, write a header-only file (the default: an export that found nothing says so). False when
        /// every input was refused: nothing is written, and an earlier output stays as it was.
        /// </param>
        public UploadExportResult Complete(string? rejectPath = null, bool headerOnlyWhenEmpty = true)
        {
            _feed.Flush();
            _eventTypeHint.Report(_host, _options.Rows);
            var files = new List<string>();
            if (_options.DryRun)
            {
                for (int i = 0; i < _parts.Count; i++) files.Add(PartPath(i + 1, _parts.Count));
            }
            else
            {
                ClosePart();
                if (_parts.Count > 0 || headerOnlyWhenEmpty)
                {
                    if (_parts.Count == 0) StartPart(); // no valid rows: a header-only file says so
                    ClosePart();
                    files.AddRange(CommitParts());
                }
            }
            return new UploadExportResult(files, _feed.Read, _written, _rejects.Total, _rejects.Snapshot(),
                _warnings.Counts(), _clock.Elapsed, _options.DryRun, rejectPath) { Skipped = _skipped, Unidentified = _unidentified };
        }

        /// <summary>The first example of each warning rule, for a one-line-per-rule report at the end.</summary>
        public IEnumerable<(string RuleId, long Count, string Where, string Message)> WarningExamples() => _warnings.Examples();

        private void MergeRow(PreparedEvent row)
        {
            if (row.Errors != null)
            {
                _rejects.Add(row.Errors[0].RuleId);
                _eventTypeHint.Note(row, row.Errors);
                if (_options.Rows.DescribeRejects) _host.Rejected(RejectedEvent.Of(row, row.Errors, _options.Rows, null));
                return;
            }
            if (row.Skipped)
            {
                _skipped++;
                row.ReleaseFields();
                return;
            }
            _warnings.Add(row);
            row.ReleaseFields();
            if (row.Unidentified)
            {
                _unidentified++;
                return;
            }
            // The line was formatted on a worker: its size is exact, so a part is filled right up to the limit.
            var line = row.UploadLine;
            if (_parts.Count == 0 || (_partBytes + line.Length > _options.MaxFileSize && _parts[_parts.Count - 1].Rows > 0))
            {
                ClosePart();
                StartPart();
            }
            if (_part != null)
            {
                try
                {
                    line.WriteTo(_part);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    throw Failed(_options.OutputPath, ex);
                }
            }
            _partBytes += line.Length;
            _parts[_parts.Count - 1] = (_parts[_parts.Count - 1].Temp, _parts[_parts.Count - 1].Rows + 1);
            _written++;
        }

        private void StartPart()
        {
            string temp = TempFiles.NewName(_options.OutputPath);
            _parts.Add((temp, 0)); // before the file exists, so that a failure below still removes it
            _partBytes = UploadLineBuffer.Header.Length;
            if (_options.DryRun) return;
            try
            {
                string? directory = Path.GetDirectoryName(temp);
                if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
                _part = TempFiles.Create(temp, 1 << 16);
                _part.Write(UploadLineBuffer.Header, 0, UploadLineBuffer.Header.Length);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Failed(_options.OutputPath, ex);
            }
        }

        private void ClosePart()
        {
            if (_part == null) return;
            try
            {
                _part.Flush(flushToDisk: true);
                _part.Dispose();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Failed(_options.OutputPath, ex);
            }
            _part = null;
        }

        /// <summary>A write failed: the export cannot go on. The open part is closed now; Dispose removes the temporary files.</summary>
        private OutputWriteException Failed(string path, Exception ex)
        {
            _stopping = true;
            TempFiles.CloseQuietly(_part);
            _part = null;
            return new OutputWriteException(path, ex);
        }

        /// <summary>One part keeps the name asked for; several are name-part001.csv, name-part002.csv, ...</summary>
        private string PartPath(int number, int count)
        {
            if (count <= 1) return _options.OutputPath;
            string directory = Path.GetDirectoryName(_options.OutputPath) ?? string.Empty;
            string name = Path.GetFileNameWithoutExtension(_options.OutputPath);
            string extension = Path.GetExtension(_options.OutputPath);
            return Path.Combine(directory, $"{name}-part{number:000}{(extension.Length > 0 ? extension : ".csv")}");
        }

        private List<string> CommitParts()
        {
            var final = new List<string>();
            for (int i = 0; i < _parts.Count; i++) final.Add(PartPath(i + 1, _parts.Count));
            string current = _options.OutputPath;
            try
            {
                // Stale files of an earlier export would be taken for parts of this one.
                foreach (string stale in ExistingOutputs().Where(f => !final.Contains(f, StringComparer.OrdinalIgnoreCase)))
                {
                    current = stale;
                    File.Delete(stale);
                }
                for (int i = 0; i < _parts.Count; i++)
                {
                    current = final[i];
                    if (File.Exists(final[i])) File.Replace(_parts[i].Temp, final[i], null);
                    else File.Move(_parts[i].Temp, final[i]);
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Failed(current, ex);
            }
            _committed = true;
            return final;
        }

        /// <summary>The files this export would replace or remove (the output and its name-partNNN siblings), as they are now.</summary>
        public IReadOnlyList<string> ExistingOutputFiles() => ExistingOutputs();

        /// <summary>The output path and any name-partNNN files beside it.</summary>
        private List<string> ExistingOutputs()
        {
            var found = new List<string>();
            if (File.Exists(_options.OutputPath)) found.Add(_options.OutputPath);
            string directory = Path.GetDirectoryName(_options.OutputPath) ?? ".";
            if (!Directory.Exists(directory)) return found;
            string name = Path.GetFileNameWithoutExtension(_options.OutputPath);
            string extension = Path.GetExtension(_options.OutputPath);
            var part = new Regex("^" + Regex.Escape(name) + @"-part\d{3,}" + Regex.Escape(extension.Length > 0 ? extension : ".csv") + "$", RegexOptions.IgnoreCase);
            found.AddRange(Directory.EnumerateFiles(directory).Where(f => part.IsMatch(Path.GetFileName(f))).OrderBy(f => f, StringComparer.Ordinal));
            return found;
        }

        /// <summary>Without Complete (a failed or stopped export), the temporary parts are removed: nothing half-written is left.</summary>
        public void Dispose()
        {
            // Quietly: after a full disk the final flush fails again, and the temporary files must still go.
            TempFiles.CloseQuietly(_part);
            _part = null;
            if (_committed || _options.DryRun) return;
            foreach (var (temp, _) in _parts) TempFiles.DeleteQuietly(temp);
        }
    }
}
