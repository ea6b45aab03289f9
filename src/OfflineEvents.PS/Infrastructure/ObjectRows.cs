using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using OfflineEvents.Core.Delivery;
using OfflineEvents.Core.Rules;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>
    /// Turns pipeline objects (Import-Csv rows, custom objects, hashtables) into rows of text for the core:
    /// the property names are the header (matched under the usual spellings), the values the fields. Objects
    /// of one shape share an <see cref="EventShape"/>; a shape without the required columns ends the command, unless
    /// the sink reports it (a check: Test-OfflineEventFile gives piped rows the ColumnMissing issue a file gets).
    /// </summary>
    internal sealed class ObjectRows
    {
        private readonly PSCmdlet _cmdlet;
        private readonly List<PSNoteProperty> _scratch = new List<PSNoteProperty>();
        private readonly List<string> _names = new List<string>();
        private readonly List<object?> _values = new List<object?>();
        private readonly RowRuleOptions _rules;
        private EventShape? _shape;

        /// <param name="cmdlet">Writes the errors and verbose messages.</param>
        /// <param name="rules">The row rules (they say which columns are required).</param>
        /// <param name="sinkReportsMissingColumns">True when the sink reports a shape without the required columns itself.</param>
        public ObjectRows(PSCmdlet cmdlet, RowRuleOptions rules, bool sinkReportsMissingColumns = false)
        {
            _cmdlet = cmdlet;
            _rules = rules;
            _sinkReportsMissingColumns = sinkReportsMissingColumns;
        }

        private readonly bool _sinkReportsMissingColumns;

        /// <summary>Objects read so far (strings included).</summary>
        public long Row { get; private set; }

        /// <summary>The row's shape and fields; false (after a non-terminating error) for input that is no row.</summary>
        public bool TryRead(PSObject input, out EventShape shape, out string?[] fields)
        {
            Row++;
            shape = null!;
            fields = Array.Empty<string?>();
            if (input.BaseObject is string)
            {
                _cmdlet.WriteError(new ErrorRecord(
                    new PSArgumentException("A string came in: give objects with event_type, timestamp and email or phone properties (Import-Csv rows), or files with -Path."),
                    ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument, $"row {Row}"));
                return false;
            }
            NoteProperties.ReadRow(input, _scratch, _names, _values);
            if (_shape == null || !_shape.SameHeaders(_names))
            {
                try
                {
                    _shape = new EventShape(_names.ToArray(), _rules.Columns);
                }
                catch (ColumnMapException ex)
                {
                    _cmdlet.ThrowTerminatingError(ColumnMapArgument.MissingColumn(ex, $"row {Row}"));
                }
                var missing = _shape!.MissingRequired(_rules);
                if (missing.Count > 0 && !_sinkReportsMissingColumns)
                {
                    _cmdlet.ThrowTerminatingError(new ErrorRecord(
                        new ArgumentException($"Row {Row} has no {string.Join(", no ", missing)} property{_shape.Map.MissingHint(missing)}. Its properties: {string.Join(", ", _names.Select(n => "'" + OfflineEvents.Core.Pii.PiiMask.InMessage(n) + "'"))}. Rename them (Select-Object @{{n='event_type';e={{$_.Type}}}}) name them with -ColumnMap, or see about_OfflineEvents for the spellings understood."),
                        ErrorIds.MissingColumns, ErrorCategory.InvalidData, $"row {Row}"));
                }
                _cmdlet.WriteVerbose(_shape.Map.Describe());
            }
            shape = _shape;
            fields = new string?[_values.Count];
            for (int i = 0; i < fields.Length; i++) fields[i] = AsText(_values[i]);
            return true;
        }

        /// <summary>
        /// Reads one object into the sink: a row, or a row rejected (ValueNotScalar) when a property the rules
        /// read holds an object or a list, whose text ("System.Collections.Hashtable", or nothing at all for a
        /// PSCustomObject) would be read as a wrong or blank value without a word.
        /// </summary>
        public void ReadInto(PSObject input, IRowSink sink)
        {
            if (!TryRead(input, out var shape, out var fields)) return;
            for (int i = 0; i < _values.Count; i++)
            {
                if (!IsComposite(_values[i]) || !(shape.Map.Sources.FirstOrDefault(s => s.Index == i)?.Field is string column)) continue;
                string kind = Unwrap(_values[i]) is PSCustomObject ? "an object" : Unwrap(_values[i])!.GetType().Name;
                fields[i] = string.Empty;
                sink.Reject(shape, Row, 0, fields, null, RuleIds.ValueNotScalar, _names[i],
                    $"the property '{_names[i]}' ({column}) holds {(kind == "an object" ? kind : "a " + kind)}, not a value: give it a string, number or date");
                return;
            }
            sink.Add(shape, Row, 0, fields, null);
        }

        // A calculated property whose script block output nothing (Select-Object @{ e = { if ($_.Id) { ... } } })
        // holds AutomationNull, a PSObject around no object: it is an empty value, not an object.
        private static object? Unwrap(object? value) =>
            ReferenceEquals(value, System.Management.Automation.Internal.AutomationNull.Value) ? null : value is PSObject ps ? ps.BaseObject : value;

        private static bool IsComposite(object? value)
        {
            value = Unwrap(value);
            return value is PSCustomObject || value is System.Collections.IDictionary || (value is System.Collections.IEnumerable && !(value is string));
        }

        private static string? AsText(object? value)
        {
            value = Unwrap(value);
            return value switch
            {
                null => null,
                string s => s,
                // A DateTime says its own zone: UTC and local times carry an offset, unspecified ones follow -TimeZone.
                DateTime d => d.Kind == DateTimeKind.Unspecified ? d.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture) : new DateTimeOffset(d).ToString("o", CultureInfo.InvariantCulture),
                DateTimeOffset o => o.ToString("o", CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString(),
            };
        }
    }
}
