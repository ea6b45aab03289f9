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
            return Completions.Matching(EventNames.DisplayNames.Concat(EventNames.ApiNames).Distinct(StringComparer.Ordinal), wordToComplete, n => EventNames.ToApiName(n) ?? n);
        }
    }
}
