using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
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

        // The engine (Core): column choice, verdicts, hashing on a worker, rows back in input order.
        private PiiRowHasher<PSObject, (PSNoteProperty Property, bool InList)> _hasher = null!;
        private readonly List<PSNoteProperty> _properties = new List<PSNoteProperty>();
        private readonly List<(PiiColumn, (PSNoteProperty, bool), string?)> _values = new List<(PiiColumn, (PSNoteProperty, bool), string?)>();
        private readonly List<string> _listHashes = new List<string>();
        private readonly List<string> _names = new List<string>();
        private string[] _shapeNames = Array.Empty<string>();
        private PiiRowShape? _shape;
        private PiiColumn? _valueColumn;
        private bool _warnedNoColumns;
        private long _row;

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
            var normalizer = RegionArgument.CreateNormalizer(this, DefaultRegion);
            var choice = new PiiColumnChoice
            {
                EmailColumns = EmailProperty,
                PhoneColumns = PhoneProperty,
                ExternalIdColumns = ExternalIdProperty,
                RegionColumn = RegionProperty,
                Mapping = ColumnMapArgument.Parse(this, ColumnMap),
                DescribeOption = field => "-" + field + "Property",
                RegionOption = "-RegionProperty",
            };
            try
            {
                choice.EventTypeMap = new RowRuleOptions { EventTypeMap = ColumnMapArgument.ParseEventTypes(EventTypeMap) }.EventTypeMap;
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument, EventTypeMap));
            }
            _hasher = new PiiRowHasher<PSObject, (PSNoteProperty Property, bool InList)>(normalizer, choice);
            _errorsIgnored = CommonPreference.ErrorsIgnored(this);
        }

        // Under -ErrorAction Ignore an invalid value is only counted (in the summary): PowerShell would discard
        // its error record, and building one per invalid value was most of this cmdlet's time on a messy export.
        private bool _errorsIgnored;

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ValueSet)
            {
                _valueColumn ??= _hasher.ValueColumn(Type, "-Value");
                foreach (string? value in Value ?? new string?[] { null })
                {
                    var cell = _hasher.HashNow(_valueColumn, default, ++_row, value);
                    Record(cell, null);
                    WriteObject(cell.Result.Value ?? string.Empty);
                }
                return;
            }

            _row++;
            _hasher.CountRow();
            var input = InputObject!;
            if (input.BaseObject is string)
            {
                WriteReady(flush: true);
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
            var shape = _shape!;

            if (shape.EventIndex >= 0)
            {
                if (_hasher.Skips(AsText(_properties[shape.EventIndex].Value), out string? eventName)) return; // not an event to send: not written
                if (eventName != null) _properties[shape.EventIndex].Value = eventName;
            }
            string? region = shape.RegionIndex < 0 ? null : AsText(_properties[shape.RegionIndex].Value);
            _values.Clear();
            foreach (var column in shape.Columns)
            {
                var property = _properties[column.Index];
                object? value = property.Value is PSObject ps ? ps.BaseObject : property.Value;
                if (value is IEnumerable list && !(value is string))
                {
                    // Several values in one property (custom objects): each is hashed, the valid ones kept.
                    property.Value = Array.Empty<string>();
                    foreach (object? item in list) _values.Add((column, (property, true), AsText(item)));
                }
                else
                {
                    _values.Add((column, (property, false), AsText(value)));
                }
            }
            _hasher.Add(target, _row, region, _values);
            WriteReady(flush: false);
        }

        /// <summary>Applies the hashed rows' results and writes the rows, in order, on the pipeline thread.</summary>
        private void WriteReady(bool flush)
        {
            if (flush) _hasher.Flush();
            while (_hasher.TryTake(out var batch))
            {
                int cell = 0;
                for (int r = 0; r < batch.Rows.Count; r++)
                {
                    int end = batch.CellsEnd(r);
                    for (; cell < end; cell++)
                    {
                        var c = batch.Cells[cell];
                        var (property, inList) = c.Target;
                        if (!inList) property.Value = c.Result.Value ?? string.Empty;
                        else
                        {
                            // A list's values are adjacent: their valid hashes become the property's new list.
                            if (c.Result.Value is string hash) _listHashes.Add(hash);
                            if (cell + 1 == end || !ReferenceEquals(batch.Cells[cell + 1].Target.Property, property))
                            {
                                property.Value = _listHashes.ToArray();
                                _listHashes.Clear();
                            }
                        }
                        Record(c, c.Column.Name);
                    }
                    WriteObject(batch.Rows[r]);
                }
            }
        }

        protected override void EndProcessing()
        {
            WriteReady(flush: true);
            WriteVerbose("ConvertTo-HashedPii: " + _hasher.Summary);
            if (SummaryVariable != null)
            {
                SessionState.PSVariable.Set(SummaryVariable, _hasher.Summary);
            }
        }

        private bool SameShape()
        {
            if (_properties.Count != _shapeNames.Length) return false;
            for (int i = 0; i < _shapeNames.Length; i++)
            {
                string name = _properties[i].Name;
                if (!ReferenceEquals(name, _shapeNames[i]) && name != _shapeNames[i]) return false;
            }
            return true;
        }

        /// <summary>Works out which properties of this row shape hold PII; repeated only when the shape changes.</summary>
        private void Resolve()
        {
            _names.Clear();
            foreach (var p in _properties) _names.Add(p.Name);
            _shapeNames = _names.ToArray();
            try
            {
                _shape = _hasher.Resolve(_shapeNames, _row);
            }
            catch (ColumnMapException ex)
            {
                ThrowTerminatingError(ColumnMapArgument.MissingColumn(ex, $"row {_row}"));
            }
            catch (PiiColumnNotFoundException ex)
            {
                ThrowTerminatingError(new ErrorRecord(new ItemNotFoundException(ex.Message, ex), ErrorIds.PiiPropertyNotFound, ErrorCategory.ObjectNotFound, ex.Wanted));
            }
            var shape = _shape!;
            WriteVerbose(shape.Description);
            if (shape.Columns.Count == 0 && !_warnedNoColumns)
            {
                _warnedNoColumns = true;
                WriteWarning($"No email, phone or external id property was found (properties: {string.Join(", ", _names.Select(n => "'" + n + "'"))}). Name them with -EmailProperty, -PhoneProperty or -ExternalIdProperty. Objects pass through unchanged.");
            }
            WriteVerbose("PII columns: " + (shape.Columns.Count == 0 ? "none" : string.Join(", ", shape.Columns.Select(c => $"'{c.Name}' ({c.Field})"))));
        }

        private void Record(HashedCell<(PSNoteProperty, bool)> cell, string? column)
        {
            var result = cell.Result;
            var stats = cell.Column.Stats;
            if (result.IsInvalid && !_errorsIgnored)
            {
                string where = column == null ? $"Value {cell.Row}" : $"Row {cell.Row}, column '{column}'";
                var issue = new PiiIssue(cell.Row, column ?? "-Value", stats.Field, result.Rule!, result.Masked ?? string.Empty, result.Reason!);
                WriteError(new ErrorRecord(
                    new InvalidPiiException($"{where}: {stats.Field.ToString().ToLowerInvariant()} {issue.MaskedValue} {result.Reason}. It was left blank. (rule {result.Rule})"),
                    ErrorIds.PiiInvalidPrefix + result.Rule, ErrorCategory.InvalidData, issue));
            }
            if (cell.FirstMixed)
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
