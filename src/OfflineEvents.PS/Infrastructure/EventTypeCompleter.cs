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
        public static RowRuleOptions Create(Cmdlet cmdlet, string? defaultRegion, string? timeZone, string? defaultEventType, string? defaultCurrency)
        {
            var rules = new RowRuleOptions(RegionArgument.CreateNormalizer(cmdlet, defaultRegion), TimeZoneArgument.Resolve(cmdlet, timeZone));
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
    }
}
