using System.Collections.Generic;
using System.Linq;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>A row that was not sent, and why. Carries no plaintext PII: PII columns are hashed or masked.</summary>
    public sealed class RejectedEvent
    {
        internal RejectedEvent(string? source, long row, long line, IReadOnlyList<string> ruleIds, string column, string reason,
            EventShape shape, IReadOnlyList<string?> safeFields, int? apiCode)
        {
            Source = source;
            Row = row;
            Line = line;
            RuleIds = ruleIds;
            Column = column;
            Reason = reason;
            Shape = shape;
            SafeFields = safeFields;
            ApiCode = apiCode;
        }

        /// <summary>
        /// A rejected row as hosts see it: every rule it broke, every reason, and its values with PII hashed or masked:
        /// only the columns the module reads unless the rules ask for all (-RejectColumn All).
        /// </summary>
        internal static RejectedEvent Of(PreparedEvent row, IReadOnlyList<Rules.RowIssue> errors, Rules.RowRuleOptions rules, int? apiCode)
        {
            var fields = row.InputFields();
            var safe = row.Shape.SafeFields(fields, rules.Pii, row.Email, row.Phone, allColumns: rules.RejectColumns == RejectColumns.All);
            return new RejectedEvent(row.Source as string, row.Row, row.Line, errors.Select(e => e.RuleId).Distinct().ToArray(), errors[0].Column,
                string.Join("; ", errors.Select(e => e.Message)), row.Shape, safe, apiCode);
        }

        /// <summary>The file the row came from; null for pipeline input.</summary>
        public string? Source { get; }

        /// <summary>The row number: the n-th data row of the file, or the n-th object of the pipeline.</summary>
        public long Row { get; }

        /// <summary>The file line the row starts on (0 for pipeline input).</summary>
        public long Line { get; }

        /// <summary>The first rule the row broke.</summary>
        public string RuleId => RuleIds[0];

        public IReadOnlyList<string> RuleIds { get; }

        /// <summary>The column of the first problem.</summary>
        public string Column { get; }

        /// <summary>Every problem of the row, masked.</summary>
        public string Reason { get; }

        /// <summary>TikTok's code when TikTok rejected the event (40002...); null when our rules did.</summary>
        public int? ApiCode { get; }

        /// <summary>
        /// Whether the host reports this reject one by one: Send-OfflineEvent writes the first rejects of each rule as
        /// error records (DeliveryOptions.RejectsReportedPerRule, 100) and the rest only to the reject file, with one
        /// warning per rule that counts them.
        /// </summary>
        public bool Reported { get; internal set; } = true;

        /// <summary>The input's column names; <see cref="SafeFields"/> follows them.</summary>
        public IReadOnlyList<string> Headers => Shape.Headers;

        /// <summary>
        /// The row's values, in <see cref="Headers"/> order, with PII hashed (or masked when invalid). Columns the module
        /// does not read (names, notes) are null unless -RejectColumn All.
        /// </summary>
        public IReadOnlyList<string?> SafeFields { get; }

        /// <summary>The shape of the row's input: which of its columns the module reads.</summary>
        internal EventShape Shape { get; }

        public override string ToString() => $"{(Source == null ? string.Empty : Source + ": ")}row {Row}: {Reason}";
    }
}
