using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OfflineEvents.Core.Rules;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>-ColumnMap and -EventTypeMap: hashtables from the command line, checked up front, as the core's types.</summary>
    internal static class ColumnMapArgument
    {
        /// <summary>field = 'Column', field = 'A', 'B', or field = $null (no column); null when not given.</summary>
        public static ColumnMapping? Parse(PSCmdlet cmdlet, IDictionary? map)
        {
            if (map == null) return null;
            var entries = new List<KeyValuePair<string, IReadOnlyList<string>>>();
            foreach (DictionaryEntry entry in map)
            {
                entries.Add(new KeyValuePair<string, IReadOnlyList<string>>(AsText(entry.Key) ?? string.Empty, Columns(entry.Value)));
            }
            try
            {
                return new ColumnMapping(entries);
            }
            catch (ColumnMapException ex)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.ColumnMapUnknownField, ErrorCategory.InvalidArgument, ex.Field));
                return null;
            }
        }

        /// <summary>source value = 'TikTok event', or = $null (skip the row); null when not given.</summary>
        public static IReadOnlyDictionary<string, string?>? ParseEventTypes(IDictionary? map)
        {
            if (map == null) return null;
            var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (DictionaryEntry entry in map) result[AsText(entry.Key) ?? string.Empty] = AsText(entry.Value);
            return result;
        }

        /// <summary>The terminating error for a map that names a column the input does not have.</summary>
        public static ErrorRecord MissingColumn(ColumnMapException ex, object? target) =>
            new ErrorRecord(ex, ex.IsMissingColumn ? ErrorIds.ColumnMapMissingColumn : ErrorIds.ColumnMapUnknownField, ErrorCategory.InvalidData, target ?? ex.Column);

        private static IReadOnlyList<string> Columns(object? value)
        {
            value = value is PSObject ps ? ps.BaseObject : value;
            if (value == null) return Array.Empty<string>();
            if (value is string s) return new[] { s };
            if (value is IEnumerable many) return many.Cast<object?>().Select(AsText).Where(c => c != null).Select(c => c!).ToArray();
            return new[] { AsText(value)! };
        }

        private static string? AsText(object? value)
        {
            value = value is PSObject ps ? ps.BaseObject : value;
            return value?.ToString();
        }
    }
}
