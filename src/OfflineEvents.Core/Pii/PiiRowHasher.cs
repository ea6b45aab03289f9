using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using OfflineEvents.Core.Rules;

namespace OfflineEvents.Core.Pii
{
    /// <summary>
    /// ConvertTo-HashedPii's engine: chooses a row shape's PII columns with the resolver the other row cmdlets use,
    /// normalizes and hashes each value with the verdicts <see cref="EventRowValidator"/> gives the same cell, and hands
    /// the rows back in input order. Hashing runs on a worker while the feeding thread reads the next rows (in a
    /// pipeline it also runs Import-Csv and Export-Csv); everything else, the counts included, runs on the feeding thread.
    /// </summary>
    /// <remarks>
    /// Not an <c>IRowSink</c>: a sink takes rows of text, while the host must hand back its own objects with only their
    /// PII values replaced, other values (numbers, dates, lists of emails) untouched. So rows come in with a token
    /// (<typeparamref name="TRow"/>) and values with a target (<typeparamref name="TCell"/>), and go out as batches.
    /// </remarks>
    /// <typeparam name="TRow">The host's row (written back as it came).</typeparam>
    /// <typeparam name="TCell">Where the host writes one value's hash.</typeparam>
    public sealed class PiiRowHasher<TRow, TCell>
    {
        // Batches stay small: rows held across a gen0 collection are promoted, and at 256 rows the extra GC work cost more
        // than the worker saved (50 MB export: 32 rows ~9.1 us/row, 256 ~10.9, 2048 ~24.7, inline ~16).
        private const int BatchSize = 32;

        private readonly PiiNormalizer _normalizer;
        private readonly PiiColumnChoice _choice;
        private readonly HashSet<string> _warnedMixed = new HashSet<string>(StringComparer.Ordinal);
        private readonly Queue<HashedBatch<TRow, TCell>> _ready = new Queue<HashedBatch<TRow, TCell>>();
        private HashedBatch<TRow, TCell> _collecting = new HashedBatch<TRow, TCell>(BatchSize);
        private HashedBatch<TRow, TCell>? _hashing;
        private Task? _hashingTask;

        public PiiRowHasher(PiiNormalizer normalizer, PiiColumnChoice choice)
        {
            _normalizer = normalizer ?? throw new ArgumentNullException(nameof(normalizer));
            _choice = choice ?? throw new ArgumentNullException(nameof(choice));
        }

        /// <summary>What the run did, per column.</summary>
        public PiiHashSummary Summary { get; } = new PiiHashSummary();

        /// <summary>Works out which columns of rows with these headers hold PII (call again only when the header changes).</summary>
        /// <param name="headers">The row's column names.</param>
        /// <param name="row">The row number, for messages.</param>
        /// <exception cref="ColumnMapException">The -ColumnMap names a column the rows do not have.</exception>
        /// <exception cref="PiiColumnNotFoundException">A column named outright is not there.</exception>
        public PiiRowShape Resolve(IReadOnlyList<string> headers, long row)
        {
            var columns = new List<PiiColumn>();
            void Add(int index, PiiField field)
            {
                if (!columns.Any(c => c.Index == index)) columns.Add(new PiiColumn(index, headers[index], field, Summary.For(field, headers[index])));
            }
            foreach (var field in new[] { PiiField.Email, PiiField.Phone, PiiField.ExternalId })
            {
                foreach (string name in _choice.Named(field) ?? Array.Empty<string>()) Add(Require(headers, name, _choice.DescribeOption(field), row), field);
            }
            // The resolver Send-OfflineEvent uses: the -ColumnMap first, then the usual spellings.
            var map = new ColumnMap(headers, ColumnMatching.Aliases, _choice.Mapping);
            foreach (var (column, field) in new[] { (OfflineEventColumns.Email, PiiField.Email), (OfflineEventColumns.Phone, PiiField.Phone), (OfflineEventColumns.ExternalId, PiiField.ExternalId) })
            {
                // Columns named outright replace detection for their field; a -ColumnMap entry adds to them.
                if (_choice.Named(field) != null && !(_choice.Mapping?.Mentions(column) ?? false)) continue;
                foreach (int i in map.Indexes(column)) Add(i, field);
                // A column the -ColumnMap takes the field from elsewhere still holds PII: hashed too, never passed on in plain text.
                for (int i = 0; i < headers.Count; i++)
                {
                    if (map.OverriddenField(i) == column) Add(i, field);
                }
            }
            int eventIndex = _choice.EventTypeMap == null ? -1 : map[OfflineEventColumns.EventType];
            int regionIndex = _choice.RegionColumn != null ? Require(headers, _choice.RegionColumn, _choice.RegionOption, row) : map[OfflineEventColumns.Region];
            return new PiiRowShape(headers, columns, regionIndex, eventIndex, map.Describe());
        }

        private static int Require(IReadOnlyList<string> headers, string wanted, string option, long row)
        {
            int index = ColumnMapping.FindHeader(headers, wanted);
            return index >= 0 ? index : throw new PiiColumnNotFoundException(
                $"{option} names '{wanted}', but row {row} has no such property. Its properties are: {string.Join(", ", headers.Select(n => "'" + n + "'"))}.", wanted);
        }

        /// <summary>
        /// The event map's verdict on a row's event value: true when it maps the value to no event (the row is not written,
        /// counted as skipped); otherwise <paramref name="eventName"/> is TikTok's name to write, or null to leave the value.
        /// </summary>
        public bool Skips(string? eventValue, out string? eventName)
        {
            eventName = null;
            if (_choice.EventTypeMap == null || eventValue == null || !_choice.EventTypeMap.TryGetValue(eventValue.Trim(), out string? apiName)) return false;
            if (apiName == null)
            {
                Summary.CountSkipped();
                return true;
            }
            eventName = EventNames.ToDisplayName(apiName);
            return false;
        }

        /// <summary>Counts one row that is written without hashing (no row at all, such as a string without -Type).</summary>
        public void CountRow() => Summary.CountRow();

        /// <summary>
        /// Queues one row: its values to hash (a column may give several, for a list of emails), each with where its hash
        /// goes. Rows come back from <see cref="TryTake"/> in the order they were added.
        /// </summary>
        /// <param name="row">The host's row.</param>
        /// <param name="number">The row's number, for messages.</param>
        /// <param name="region">The row's region (blank: none).</param>
        /// <param name="values">The values: column, target, text.</param>
        public void Add(TRow row, long number, string? region, IReadOnlyList<(PiiColumn Column, TCell Target, string? Text)> values)
        {
            if (region != null && region.Trim().Length == 0) region = null;
            for (int i = 0; i < values.Count; i++)
            {
                var (column, target, text) = values[i];
                _collecting.AddCell(new HashedCell<TCell>(target, column, number, text, region));
            }
            _collecting.EndRow(row);
            if (_collecting.Count >= BatchSize) Dispatch();
        }

        /// <summary>Hashes one value now, on this thread (ConvertTo-HashedPii -Value), with the same verdicts and counts.</summary>
        public HashedCell<TCell> HashNow(PiiColumn column, TCell target, long number, string? text)
        {
            Summary.CountRow();
            return Counted(new HashedCell<TCell>(target, column, number, text, null).With(Verdict(_normalizer, column.Field, text, null)));
        }

        /// <summary>The column that -Value strings of one field are counted under.</summary>
        public PiiColumn ValueColumn(PiiField field, string name) => new PiiColumn(-1, name, field, Summary.For(field, name));

        /// <summary>A batch of hashed rows, in input order; false when none is ready (call <see cref="Flush"/> at the end).</summary>
        public bool TryTake(out HashedBatch<TRow, TCell> batch)
        {
            if (_ready.Count == 0)
            {
                batch = null!;
                return false;
            }
            batch = _ready.Dequeue();
            for (int i = 0; i < batch.Cells.Count; i++) batch[i] = Counted(batch[i]);
            return true;
        }

        /// <summary>Hashes every row queued so far; <see cref="TryTake"/> then hands them out.</summary>
        public void Flush()
        {
            if (_collecting.Count > 0) Dispatch();
            Complete();
        }

        /// <summary>Waits for the batch in flight, then starts hashing the one just collected.</summary>
        private void Dispatch()
        {
            Complete();
            var batch = _collecting;
            _collecting = new HashedBatch<TRow, TCell>(BatchSize);
            var normalizer = _normalizer;
            _hashing = batch;
            // The worker touches only the texts and results, never the host's rows or targets.
            _hashingTask = Task.Run(() =>
            {
                for (int i = 0; i < batch.Cells.Count; i++)
                {
                    var c = batch[i];
                    batch[i] = c.With(Verdict(normalizer, c.Column.Field, c.Text, c.Region));
                }
            });
        }

        private void Complete()
        {
            if (_hashing == null) return;
            _hashingTask!.GetAwaiter().GetResult();
            _ready.Enqueue(_hashing);
            _hashing = null;
        }

        /// <summary>Counts a value's outcome (feeding thread, input order) and drops its plaintext.</summary>
        private HashedCell<TCell> Counted(HashedCell<TCell> cell)
        {
            var stats = cell.Column.Stats;
            stats.Add(cell.Result.Outcome);
            return cell.Mixed(stats.IsMixed && _warnedMixed.Add(stats.Column));
        }

        /// <summary>One value's verdict: the rules <see cref="EventRowValidator"/> applies to the same cell.</summary>
        internal static PiiResult Verdict(PiiNormalizer normalizer, PiiField field, string? text, string? region)
        {
            // A value over its column's limit is refused before any rule reads it, as Send and Test refuse it (FieldTooLong).
            int max = EventRowValidator.MaxLengths[field == PiiField.Email ? OfflineEventColumns.Email : field == PiiField.Phone ? OfflineEventColumns.Phone : OfflineEventColumns.ExternalId];
            if (text != null && text.Length > max)
            {
                return new PiiResult(PiiOutcome.Invalid, null, RuleIds.FieldTooLong, $"is {text.Length:N0} characters long, over the limit of {max} (a broken export or a misplaced column?)",
                    field == PiiField.Email ? PiiMask.Email(text.Trim()) : field == PiiField.Phone ? PiiMask.Phone(text.Trim()) : PiiMask.Opaque(text.Trim()));
            }
            return normalizer.Normalize(field, text, region);
        }
    }
}
