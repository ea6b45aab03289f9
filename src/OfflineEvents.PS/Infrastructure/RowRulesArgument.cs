using System;
using System.Management.Automation;
using OfflineEvents.Core.Rules;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>The row rules of Send-OfflineEvent and Export-OfflineEventFile, from their shared parameters.</summary>
    internal static class RowRulesArgument
    {
        /// <param name="cmdlet">The cmdlet (its -ErrorAction decides whether rejects are described).</param>
        /// <param name="defaultRegion">-DefaultRegion.</param>
        /// <param name="timeZone">-TimeZone.</param>
        /// <param name="defaultEventType">-DefaultEventType.</param>
        /// <param name="defaultCurrency">-DefaultCurrency.</param>
        /// <param name="rejectPath">-RejectPath: rejects written there are described whatever -ErrorAction says.</param>
        /// <param name="rejectColumn">-RejectColumn: which columns rejects carry, in the reject file and in their error records.</param>
        /// <param name="columnMap">-ColumnMap.</param>
        /// <param name="eventTypeMap">-EventTypeMap.</param>
        /// <param name="timestampFormat">-TimestampFormat.</param>
        /// <param name="culture">-Culture.</param>
        public static RowRuleOptions Create(PSCmdlet cmdlet, string? defaultRegion, string? timeZone, string? defaultEventType, string? defaultCurrency, string? rejectPath,
            string rejectColumn = RejectColumnArgument.Read, System.Collections.IDictionary? columnMap = null, System.Collections.IDictionary? eventTypeMap = null,
            string[]? timestampFormat = null, string? culture = null)
        {
            var rules = new RowRuleOptions(RegionArgument.CreateNormalizer(cmdlet, defaultRegion), TimeZoneArgument.Resolve(cmdlet, timeZone));
            rules.TimestampFormats = TimestampArgument.Create(cmdlet, timestampFormat, culture);
            // -Culture also says how the export writes numbers ('12,50' in de-DE).
            rules.NumberCulture = culture != null ? rules.TimestampFormats!.Culture : null;
            rules.RejectColumns = RejectColumnArgument.Parse(rejectColumn);
            // Under -ErrorAction Ignore an error record reaches nothing ($Error, -ErrorVariable, the host): unless a
            // reject file wants the rows, rejects are only counted, which spares a record per bad row.
            rules.DescribeRejects = rejectPath != null || !CommonPreference.ErrorsIgnored(cmdlet);
            try
            {
                rules.DefaultEventType = defaultEventType;
                rules.DefaultCurrency = defaultCurrency;
                rules.EventTypeMap = ColumnMapArgument.ParseEventTypes(eventTypeMap);
            }
            catch (ArgumentException ex)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument, (object?)defaultEventType ?? (object?)defaultCurrency ?? eventTypeMap));
            }
            rules.Columns = ColumnMapArgument.Parse(cmdlet, columnMap);
            return rules;
        }
    }
}
