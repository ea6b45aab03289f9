using System;
using System.Collections.Generic;
using System.Linq;

namespace OfflineEvents.Core.Rules
{
    /// <summary>
    /// Where each field's columns sit in a header (-1 when absent), how each was found, and what else the header
    /// has: the one column resolver of every cmdlet and route. A -ColumnMap entry decides its field; the other
    /// fields are detected by name (TikTok's, or under <see cref="ColumnMatching.Aliases"/> the usual spellings).
    /// </summary>
    public sealed class ColumnMap
    {
        private readonly Dictionary<string, int> _index = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly Dictionary<string, List<int>> _all = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        private readonly List<ColumnSource> _sources = new List<ColumnSource>();
        private readonly Dictionary<int, string> _overridden = new Dictionary<int, string>();

        /// <summary>Header names match as <paramref name="matching"/> says; the first of duplicates wins.</summary>
        /// <param name="headers">The header (a file's first line, or an object's property names).</param>
        /// <param name="matching">TikTok's exact names only, or the usual spellings too.</param>
        /// <param name="mapping">The user's -ColumnMap, or null.</param>
        /// <exception cref="ColumnMapException">The map names a column the header does not have.</exception>
        public ColumnMap(IReadOnlyList<string> headers, ColumnMatching matching = ColumnMatching.Exact, ColumnMapping? mapping = null)
        {
            Headers = headers;
            Mapping = mapping;
            var claimed = new bool[headers.Count];
            if (mapping != null)
            {
                foreach (var (field, columns) in mapping.Entries)
                {
                    foreach (string wanted in columns)
                    {
                        int i = ColumnMapping.FindHeader(headers, wanted);
                        if (i < 0) throw ColumnMapException.MissingColumn(field, wanted, headers);
                        claimed[i] = true;
                        if (_all.TryGetValue(field, out var already) && already.Contains(i)) continue;
                        Add(field, i, ColumnSourceKind.ColumnMap);
                    }
                }
            }
            var duplicates = new List<string>();
            var unknown = new List<string>();
            var exactNames = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < headers.Count; i++)
            {
                if (claimed[i]) continue;
                string header = headers[i] ?? string.Empty;
                string name = header.Trim().ToLowerInvariant();
                bool tikTokName = OfflineEventColumns.All.Contains(name);
                string field = tikTokName ? name
                    : matching == ColumnMatching.Aliases && ColumnAliases.TryResolve(header, out string column) ? column : string.Empty;
                if (field.Length == 0)
                {
                    unknown.Add(header);
                    continue;
                }
                if (mapping != null && mapping.Mentions(field))
                {
                    // The map decides this field: a column that would have been detected for it is not read.
                    _overridden[i] = field;
                    unknown.Add(header);
                    continue;
                }
                // Several columns may feed an identifier (Phone and Mobile); for any other field, or the same name twice, one is used.
                if (_index.ContainsKey(field) && (!ColumnMapping.TakesSeveralColumns(field) || !exactNames.Add(name))) duplicates.Add(field);
                else exactNames.Add(name);
                Add(field, i, name == field ? ColumnSourceKind.Name : ColumnSourceKind.Alias);
            }
            Duplicates = duplicates;
            Unknown = unknown;
        }

        private void Add(string field, int index, ColumnSourceKind kind)
        {
            if (!_index.ContainsKey(field)) _index[field] = index;
            if (!_all.TryGetValue(field, out var all)) _all[field] = all = new List<int>(1);
            all.Add(index);
            _sources.Add(new ColumnSource(field, Headers[index] ?? string.Empty, index, kind));
        }

        public IReadOnlyList<string> Headers { get; }

        /// <summary>The -ColumnMap this header was resolved with, or null.</summary>
        public ColumnMapping? Mapping { get; }

        /// <summary>Which column feeds which field, and how each was found, in the order resolved (the map's first).</summary>
        public IReadOnlyList<ColumnSource> Sources => _sources;

        /// <summary>Standard columns that appear more than once (beyond identifiers fed by several differently named columns).</summary>
        public IReadOnlyList<string> Duplicates { get; }

        /// <summary>Columns that are not read: unknown names, and columns whose field the -ColumnMap takes from elsewhere.</summary>
        public IReadOnlyList<string> Unknown { get; }

        /// <summary>The field a column would have fed had the -ColumnMap not named that field's columns (null: none).</summary>
        public string? OverriddenField(int index) => _overridden.TryGetValue(index, out string? field) ? field : null;

        public int this[string column] => _index.TryGetValue(column, out int i) ? i : -1;

        public bool Has(string column) => _index.ContainsKey(column);

        /// <summary>Every column that feeds a field, in header order (empty when none): an identifier may come from several.</summary>
        public IReadOnlyList<int> Indexes(string column) => _all.TryGetValue(column, out var all) ? all : (IReadOnlyList<int>)Array.Empty<int>();

        /// <summary>Whether any header is one of TikTok's column names (else the first line is no header).</summary>
        public bool HasStandardColumns => _index.Count > 0;

        /// <summary>Required columns that are missing: event_type, timestamp (or a date column, with a time column or not), and email or phone.</summary>
        /// <param name="eventTypeDefaulted">Whether a default event type stands in for a missing event_type column.</param>
        public IReadOnlyList<string> MissingRequired(bool eventTypeDefaulted = false)
        {
            var missing = new List<string>();
            if (!Has(OfflineEventColumns.EventType) && !eventTypeDefaulted) missing.Add(OfflineEventColumns.EventType);
            if (!Has(OfflineEventColumns.Timestamp) && !Has(OfflineEventColumns.Date)) missing.Add(OfflineEventColumns.Timestamp);
            if (!Has(OfflineEventColumns.Email) && !Has(OfflineEventColumns.Phone)) missing.Add("email or phone");
            return missing;
        }

        /// <summary>
        /// What to do about a missing column, when the header says more: a time-of-day or date column is not a
        /// timestamp by itself, and a column whose field the map takes elsewhere is not read. Empty when nothing to add.
        /// </summary>
        public string MissingHint(IReadOnlyList<string> missing)
        {
            var hints = new List<string>();
            if (missing.Contains(OfflineEventColumns.Timestamp) && (Has(OfflineEventColumns.Time) || Has(OfflineEventColumns.Date)))
            {
                string Name(string field) => Has(field) ? Pii.PiiMask.InMessage(Headers[this[field]] ?? string.Empty) : "...";
                string time = Name(OfflineEventColumns.Time), date = Name(OfflineEventColumns.Date);
                hints.Add(Has(OfflineEventColumns.Time)
                    ? $"'{time}' is read as a time of day, never as the whole timestamp: if it holds whole timestamps, say so with -ColumnMap @{{ timestamp = '{time}' }}; with a date column, -ColumnMap @{{ date = '{date}'; time = '{time}' }}"
                    : $"'{date}' is read as a date: name the column with the whole time with -ColumnMap @{{ timestamp = '...' }}");
            }
            return hints.Count == 0 ? string.Empty : " (" + string.Join("; ", hints) + ")";
        }

        /// <summary>The field a header that is not read is close to (a typo of its name or a usual spelling), for "did you mean"; null when none is.</summary>
        public static string? SuggestField(string header)
        {
            string folded = ColumnAliases.Fold(header ?? string.Empty);
            // Short names are too often a real word one letter away from another ('Tax', 'Tag'): no guess for them.
            if (folded.Length < 4) return null;
            string? near = ColumnMapException.Closest(folded, ColumnAliases.Names, n => n);
            return near != null && ColumnAliases.TryResolve(near, out string field) ? field : null;
        }

        /// <summary>
        /// A warning when rows were refused because the event_type column holds no TikTok events (Square's 'Event Type'
        /// of Payment and Refund): the column was found by its name, and its values are the export's own vocabulary.
        /// Null when the -ColumnMap named the column or an -EventTypeMap was given (the user said what it holds).
        /// </summary>
        public string? EventTypeValuesHint(long unknownRows, bool eventTypeMapGiven)
        {
            var source = _sources.FirstOrDefault(s => s.Field == OfflineEventColumns.EventType);
            // TikTok's own name (or the map) says the column holds events: its bad values are only typos.
            if (unknownRows == 0 || eventTypeMapGiven || source == null || source.Kind != ColumnSourceKind.Alias) return null;
            return $"the column '{Pii.PiiMask.InMessage(source.Column)}' was taken as event_type by its name, but {unknownRows:N0} row(s) hold values that are not TikTok events: "
                + "if they are the export's own names, map them with -EventTypeMap (e.g. @{ Payment = 'Complete Payment'; Refund = $null }), "
                + "or read no event from it with -ColumnMap @{ event_type = $null } and -DefaultEventType";
        }

        /// <summary>One line saying which source column feeds which field, and which columns are not read, for Verbose.</summary>
        public string Describe()
        {
            string read = _sources.Count == 0 ? "none" : string.Join(", ", _sources.Select(s => s.ToString()));
            var unread = new List<string>();
            for (int i = 0; i < Headers.Count; i++)
            {
                if (_sources.Any(s => s.Index == i)) continue;
                string? instead = OverriddenField(i);
                unread.Add($"'{Pii.PiiMask.InMessage(Headers[i] ?? string.Empty)}'" + (instead != null ? $" (-ColumnMap takes {instead} from elsewhere)" : string.Empty));
            }
            return "Columns: " + read + (unread.Count > 0 ? "; not read: " + string.Join(", ", unread) : string.Empty) + ".";
        }
    }
}
