using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using OfflineEvents.Core.Rules;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>Tab completion for event types: TikTok's display names (quoted when they hold spaces), then API names.</summary>
    public sealed class EventTypeCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return EventNames.DisplayNames.Concat(EventNames.ApiNames).Distinct(StringComparer.Ordinal)
                .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(n => new CompletionResult(n.IndexOf(' ') >= 0 ? "'" + n + "'" : n, n, CompletionResultType.ParameterValue, EventNames.ToApiName(n) ?? n));
        }
    }

    /// <summary>Tab completion for currencies: ISO 4217 codes.</summary>
    public sealed class CurrencyCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return Currencies.All.OrderBy(c => c, StringComparer.Ordinal)
                .Where(c => c.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(c => new CompletionResult(c, c, CompletionResultType.ParameterValue, c));
        }
    }

    /// <summary>The row rules of Send-OfflineEvent and Export-OfflineEventFile, from their shared parameters.</summary>
    internal static class RowRulesArgument
    {
        /// <param name="cmdlet">The cmdlet (its -ErrorAction decides whether rejects are described).</param>
        /// <param name="defaultRegion">-DefaultRegion.</param>
        /// <param name="timeZone">-TimeZone.</param>
        /// <param name="defaultEventType">-DefaultEventType.</param>
        /// <param name="defaultCurrency">-DefaultCurrency.</param>
        /// <param name="rejectPath">-RejectPath: rejects written there are described whatever -ErrorAction says.</param>
        public static RowRuleOptions Create(PSCmdlet cmdlet, string? defaultRegion, string? timeZone, string? defaultEventType, string? defaultCurrency, string? rejectPath)
        {
            var rules = new RowRuleOptions(RegionArgument.CreateNormalizer(cmdlet, defaultRegion), TimeZoneArgument.Resolve(cmdlet, timeZone));
            // Under -ErrorAction Ignore an error record reaches nothing ($Error, -ErrorVariable, the host): unless a
            // reject file wants the rows, rejects are only counted, which spares a record per bad row.
            rules.DescribeRejects = rejectPath != null || !ErrorsIgnored(cmdlet);
            try
            {
                rules.DefaultEventType = defaultEventType;
                rules.DefaultCurrency = defaultCurrency;
            }
            catch (ArgumentException ex)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument, defaultEventType ?? defaultCurrency));
            }
            return rules;
        }

        private static bool ErrorsIgnored(PSCmdlet cmdlet)
        {
            object? action = cmdlet.MyInvocation.BoundParameters.TryGetValue("ErrorAction", out object? bound)
                ? bound
                : cmdlet.SessionState.PSVariable.GetValue("ErrorActionPreference");
            action = action is PSObject ps ? ps.BaseObject : action;
            return action is ActionPreference preference ? preference == ActionPreference.Ignore
                : string.Equals(action?.ToString(), nameof(ActionPreference.Ignore), StringComparison.OrdinalIgnoreCase);
        }
    }
}
