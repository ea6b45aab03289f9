using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using OfflineEvents.Core.Pii;
using OfflineEvents.Core.Rules;
using OfflineEvents.PS.Infrastructure;
using OfflineEvents.PS.Output;

namespace OfflineEvents.PS.Commands
{
    /// <summary>
    /// ConvertTo-HashedPii: replaces email, phone and external id values with TikTok-ready SHA-256 hashes.
    /// Objects in, the same objects out with hashed values (other objects: copies with the same properties);
    /// or strings in with -Type, hashes out.
    /// </summary>
    [Cmdlet(VerbsData.ConvertTo, "HashedPii", DefaultParameterSetName = ObjectSet)]
    [OutputType(typeof(PSObject), ParameterSetName = new[] { ObjectSet })]
    [OutputType(typeof(string), ParameterSetName = new[] { ValueSet })]
    public sealed class ConvertToHashedPiiCommand : PSCmdlet
    {
        private const string ObjectSet = "InputObject";
        private const string ValueSet = "Value";

        private PiiNormalizer _normalizer = null!;
        private readonly PiiHashSummary _summary = new PiiHashSummary();
        private readonly HashSet<string> _warnedMixed = new HashSet<string>(StringComparer.Ordinal);
        private readonly List<PSNoteProperty> _properties = new List<PSNoteProperty>();
        private readonly List<string> _names = new List<string>();
        private string[] _shape = Array.Empty<string>();
        private List<(int Index, PiiField Field, PiiFieldSummary Stats)> _columns = new List<(int, PiiField, PiiFieldSummary)>();
        private int _regionIndex = -1;
        private bool _warnedNoColumns;
        private long _row;

        // Hashing runs on a worker while the pipeline thread reads the next rows (the pipeline thread also
        // runs Import-Csv and Export-Csv). Results are applied, and rows written, in input order. Batches stay
        // small: rows held across a gen0 collection are promoted, and at 256 rows the extra GC work cost more
        // than the worker saved (50 MB export: 32 rows ~9.1 us/row, 256 ~10.9, 2048 ~24.7, inline ~16).
        private const int BatchSize = 32;
        private Batch _collecting = new Batch();
        private Batch? _hashing;
        private Task? _hashingTask;

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
        public PSObject? InputObject { get; set; }

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ValueSet)]
        [AllowNull]
        [AllowEmptyString]
        [AllowEmptyCollection]
        public string[]? Value { get; set; }

        /// <summary>What the -Value strings are.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ValueSet)]
        public PiiField Type { get => (PiiField)_type; set => _type = (int)value; }

        // Import-Module lays out this class before the module's resolver can load OfflineEvents.Core (ModuleInitializer),
        // so no field may be of one of Core's value types: the field holds the number, the property Core's enum.
        private int _type;

        [Parameter(ParameterSetName = ObjectSet)]
        [ValidateNotNullOrEmpty]
        public string[]? EmailProperty { get; set; }

        [Parameter(ParameterSetName = ObjectSet)]
        [ValidateNotNullOrEmpty]
        public string[]? PhoneProperty { get; set; }

        [Parameter(ParameterSetName = ObjectSet)]
        [ValidateNotNullOrEmpty]
        public string[]? ExternalIdProperty { get; set; }

        /// <summary>A property holding each row's two-letter region (a store's country), used for national phone numbers.</summary>
        [Parameter(ParameterSetName = ObjectSet)]
        [ValidateNotNullOrEmpty]
        public string? RegionProperty { get; set; }

        /// <summary>The region of national phone numbers when the row names none.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(RegionCompleter))]
        [ValidateNotNullOrEmpty]
        public string? DefaultRegion { get; set; }

        /// <summary>Which columns hold email, phone, external_id and region, as for Send-OfflineEvent: @{ phone = 'Phone', 'Mobile'; email = 'Contact' }. A mapped field takes only the columns named ($null: none); the others are still found by name.</summary>
        [Parameter(ParameterSetName = ObjectSet)]
        [ValidateNotNull]
        public IDictionary? ColumnMap { get; set; }

        /// <summary>The export's own event values to TikTok events, as for Send-OfflineEvent: the event_type column is rewritten to TikTok's names, and rows mapped to $null are not written (the summary's Skipped).</summary>
        [Parameter(ParameterSetName = ObjectSet)]
        [ValidateNotNull]
        public IDictionary? EventTypeMap { get; set; }

        /// <summary>Stores the run's summary (counts per column) in this variable.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SummaryVariable { get; set; }

        protected override void BeginProcessing()
        {
            _normalizer = RegionArgument.CreateNormalizer(this, DefaultRegion);
            _mapping = ColumnMapArgument.Parse(this, ColumnMap);
            try
            {
                _eventMap = new RowRuleOptions { EventTypeMap = ColumnMapArgument.ParseEventTypes(EventTypeMap) }.EventTypeMap;
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument, EventTypeMap));
            }
            _errorsIgnored = CommonPreference.ErrorsIgnored(this);
        }

        // Under -ErrorAction Ignore an invalid value is only counted (in the summary): PowerShell would discard
        // its error record, and building one per invalid value was most of this cmdlet's time on a messy export.
        private bool _errorsIgnored;
        private ColumnMapping? _mapping;
        private IReadOnlyDictionary<string, string?>? _eventMap;
        private int _eventIndex = -1;

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ValueSet)
            {
                var field = Type;
                var stats = _summary.For(field, "-Value");
                foreach (string? value in Value ?? new string?[] { null })
                {
                    _row++;
                    _summary.CountRow();
                    var result = _normalizer.Normalize(field, value);
                    Record(stats, result, null, _row);
                    WriteObject(result.Value ?? string.Empty);
                }
                return;
            }

            _row++;
            _summary.CountRow();
            var input = InputObject!;
            if (input.BaseObject is string)
            {
                Flush();
                WriteError(new ErrorRecord(
                    new PSArgumentException("A string came in without -Type: say what it is, e.g. 'jo@example.com' | ConvertTo-HashedPii -Type Email."),
                    ErrorIds.PiiStringNeedsType, ErrorCategory.InvalidArgument, $"row {_row}"));
                return;
            }

            // PSCustomObjects (Import-Csv rows) are changed in place: fast, and no plaintext copy lingers.
            // Other objects are copied to a PSCustomObject with the same properties first.
            var target = input.BaseObject is PSCustomObject ? input : NoteProperties.CopyToCustomObject(input);
            NoteProperties.Collect(target, _properties);
            // Every row's shape is checked (cheaply), so a later object with an extra PII property is never missed.
            if (!SameShape()) Resolve();

            if (_eventIndex >= 0 && AsText(_properties[_eventIndex].Value) is string eventValue && _eventMap!.TryGetValue(eventValue.Trim(), out string? apiName))
            {
                if (apiName == null)
                {
                    _summary.CountSkipped(); // not an event to send: not written
                    return;
                }
                _properties[_eventIndex].Value = EventNames.ToDisplayName(apiName);
            }
            string? region = _regionIndex < 0 ? null : AsText(_properties[_regionIndex].Value);
            if (region != null && region.Trim().Length == 0) region = null;
            if (AnyMultiValued())
            {
                // Several values in one property (custom objects): rare, so the whole row is done here and now,
                // after the rows queued before it. Queuing part of a row would split it across batches.
                Flush();
                foreach (var (index, field, stats) in _columns)
                {
                    var property = _properties[index];
                    property.Value = Normalize(field, stats, property.Name, property.Value, region);
                }
                WriteObject(target);
                return;
            }
            foreach (var (index, field, stats) in _columns)
            {
                var property = _properties[index];
                _collecting.Cells.Add(new Cell(_collecting.Rows.Count, _row, property, field, stats, AsText(property.Value), region));
            }
            _collecting.Rows.Add(target);
            if (_collecting.Rows.Count >= BatchSize) Dispatch();
        }

        // A loop, not Any(): this runs for every row, and a lambda over the properties allocates each time.
        private bool AnyMultiValued()
        {
            foreach (var (index, _, _) in _columns)
            {
                if (IsMultiValued(_properties[index].Value)) return true;
            }
            return false;
        }

        private static bool IsMultiValued(object? value)
        {
            value = value is PSObject ps ? ps.BaseObject : value;
            return value is IEnumerable && !(value is string);
        }

        /// <summary>Applies the batch being hashed, then starts hashing the one just collected.</summary>
        private void Dispatch()
        {
            Complete();
            var batch = _collecting;
            _collecting = new Batch();
            var normalizer = _normalizer;
            _hashing = batch;
            _hashingTask = Task.Run(() => batch.Hash(normalizer));
        }

        /// <summary>Waits for the batch in flight and writes its results and rows, in order, on the pipeline thread.</summary>
        private void Complete()
        {
            if (_hashing == null) return;
            var batch = _hashing;
            _hashing = null;
            _hashingTask!.GetAwaiter().GetResult();
            int cell = 0;
            for (int r = 0; r < batch.Rows.Count; r++)
            {
                for (; cell < batch.Cells.Count && batch.Cells[cell].RowInBatch == r; cell++)
                {
                    var c = batch.Cells[cell];
                    c.Property.Value = c.Result.Value ?? string.Empty;
                    Record(c.Stats, c.Result, c.Property.Name, c.Row);
                }
                WriteObject(batch.Rows[r]);
            }
        }

        /// <summary>Writes everything collected so far, in order.</summary>
        private void Flush()
        {
            if (_collecting.Rows.Count > 0) Dispatch();
            Complete();
        }

        private readonly struct Cell
        {
            public Cell(int rowInBatch, long row, PSNoteProperty property, PiiField field, PiiFieldSummary stats, string? text, string? region)
            {
                RowInBatch = rowInBatch;
                Row = row;
                Property = property;
                Field = field;
                Stats = stats;
                Text = text;
                Region = region;
                Result = default;
            }

            private Cell(Cell c, PiiResult result) : this(c.RowInBatch, c.Row, c.Property, c.Field, c.Stats, c.Text, c.Region) => Result = result;

            public int RowInBatch { get; }
            public long Row { get; }
            public PSNoteProperty Property { get; }
            public PiiField Field { get; }
            public PiiFieldSummary Stats { get; }
            public string? Text { get; }
            public string? Region { get; }
            public PiiResult Result { get; }

            public Cell WithResult(PiiResult result) => new Cell(this, result);
        }

        private sealed class Batch
        {
            public List<PSObject> Rows { get; } = new List<PSObject>(BatchSize);
            public List<Cell> Cells { get; } = new List<Cell>(BatchSize * 2);

            /// <summary>Runs on the worker: touches only the texts and results, never PowerShell objects.</summary>
            public void Hash(PiiNormalizer normalizer)
            {
                for (int i = 0; i < Cells.Count; i++)
                {
                    var c = Cells[i];
                    Cells[i] = c.WithResult(normalizer.Normalize(c.Field, c.Text, c.Region));
                }
            }
        }

        private bool SameShape()
        {
            if (_properties.Count != _shape.Length) return false;
            for (int i = 0; i < _shape.Length; i++)
            {
                string name = _properties[i].Name;
                if (!ReferenceEquals(name, _shape[i]) && name != _shape[i]) return false;
            }
            return true;
        }

        protected override void EndProcessing()
        {
            Flush();
            WriteVerbose("ConvertTo-HashedPii: " + _summary);
            if (SummaryVariable != null)
            {
                SessionState.PSVariable.Set(SummaryVariable, _summary);
            }
        }

        /// <summary>Works out which properties of this row shape hold PII; repeated only when the shape changes.</summary>
        private void Resolve()
        {
            _names.Clear();
            foreach (var p in _properties) _names.Add(p.Name);
            _shape = _names.ToArray();
            _columns = new List<(int, PiiField, PiiFieldSummary)>();
            AddColumns(PiiField.Email, EmailProperty);
            AddColumns(PiiField.Phone, PhoneProperty);
            AddColumns(PiiField.ExternalId, ExternalIdProperty);
            // The resolver Send-OfflineEvent uses: the -ColumnMap first, then the usual spellings.
            ColumnMap map = null!;
            try
            {
                map = new ColumnMap(_shape, ColumnMatching.Aliases, _mapping);
            }
            catch (ColumnMapException ex)
            {
                ThrowTerminatingError(ColumnMapArgument.MissingColumn(ex, $"row {_row}"));
            }
            foreach (var (column, field) in new[] { (OfflineEventColumns.Email, PiiField.Email), (OfflineEventColumns.Phone, PiiField.Phone), (OfflineEventColumns.ExternalId, PiiField.ExternalId) })
            {
                // -EmailProperty and the like replace detection for their field; a -ColumnMap entry adds to them.
                if (Explicit(field) != null && !(_mapping?.Mentions(column) ?? false)) continue;
                foreach (int i in map.Indexes(column))
                {
                    if (!_columns.Any(c => c.Index == i)) _columns.Add((i, field, _summary.For(field, _names[i])));
                }
                // A column the -ColumnMap takes the field from elsewhere still holds PII: hashed too, never passed on in plain text.
                for (int i = 0; i < _names.Count; i++)
                {
                    if (map.OverriddenField(i) == column && !_columns.Any(c => c.Index == i)) _columns.Add((i, field, _summary.For(field, _names[i])));
                }
            }
            _eventIndex = _eventMap == null ? -1 : map[OfflineEventColumns.EventType];
            _regionIndex = RegionProperty != null ? _names.IndexOf(RequireColumn(RegionProperty, "-RegionProperty")) : map[OfflineEventColumns.Region];
            WriteVerbose(map.Describe());
            if (_columns.Count == 0 && !_warnedNoColumns)
            {
                _warnedNoColumns = true;
                WriteWarning($"No email, phone or external id property was found (properties: {string.Join(", ", _names.Select(n => "'" + n + "'"))}). Name them with -EmailProperty, -PhoneProperty or -ExternalIdProperty. Objects pass through unchanged.");
            }
            WriteVerbose("PII columns: " + (_columns.Count == 0 ? "none" : string.Join(", ", _columns.Select(c => $"'{_names[c.Index]}' ({c.Field})"))));
        }

        private string[]? Explicit(PiiField field) => field switch
        {
            PiiField.Email => EmailProperty,
            PiiField.Phone => PhoneProperty,
            _ => ExternalIdProperty,
        };

        private void AddColumns(PiiField field, string[]? wanted)
        {
            if (wanted == null) return;
            foreach (string name in wanted)
            {
                string column = RequireColumn(name, "-" + field + "Property");
                int index = _names.IndexOf(column);
                if (!_columns.Any(c => c.Index == index)) _columns.Add((index, field, _summary.For(field, column)));
            }
        }

        private string RequireColumn(string wanted, string parameter)
        {
            int index = ColumnMapping.FindHeader(_names, wanted);
            string? found = index < 0 ? null : _names[index];
            if (found == null)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ItemNotFoundException($"{parameter} names '{wanted}', but row {_row} has no such property. Its properties are: {string.Join(", ", _names.Select(n => "'" + n + "'"))}."),
                    ErrorIds.PiiPropertyNotFound, ErrorCategory.ObjectNotFound, wanted));
            }
            return found!;
        }

        private object? Normalize(PiiField field, PiiFieldSummary stats, string column, object? value, string? region)
        {
            value = value is PSObject ps ? ps.BaseObject : value;
            if (IsMultiValued(value))
            {
                // Several values in one property (custom objects): hash each, keep the valid ones.
                var hashes = new List<string>();
                foreach (object? item in (IEnumerable)value!)
                {
                    var each = Normalize(field, stats, column, item, region) as string;
                    if (!string.IsNullOrEmpty(each)) hashes.Add(each!);
                }
                return hashes.ToArray();
            }
            var result = _normalizer.Normalize(field, AsText(value), region);
            Record(stats, result, column, _row);
            return result.Value ?? string.Empty;
        }

        private void Record(PiiFieldSummary stats, PiiResult result, string? column, long row)
        {
            stats.Add(result.Outcome);
            if (result.IsInvalid && !_errorsIgnored)
            {
                string where = column == null ? $"Value {row}" : $"Row {row}, column '{column}'";
                var issue = new PiiIssue(row, column ?? "-Value", stats.Field, result.Rule!, result.Masked ?? string.Empty, result.Reason!);
                WriteError(new ErrorRecord(
                    new InvalidPiiException($"{where}: {stats.Field.ToString().ToLowerInvariant()} {issue.MaskedValue} {result.Reason}. It was left blank. (rule {result.Rule})"),
                    ErrorIds.PiiInvalidPrefix + result.Rule, ErrorCategory.InvalidData, issue));
            }
            if (stats.IsMixed && _warnedMixed.Add(stats.Column))
            {
                WriteWarning($"Column '{stats.Column}' mixes SHA-256 hashes with plain values (so far {stats.PassedThrough} hashed, {stats.Hashed + stats.RegionAdded} plain). Hashes pass through and plain values are hashed, so nothing is hashed twice, but a mixed column usually means two exports were merged: check the source.");
            }
        }

        private static string? AsText(object? value)
        {
            value = value is PSObject ps ? ps.BaseObject : value;
            return value switch
            {
                null => null,
                string s => s,
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString(),
            };
        }
    }
}
