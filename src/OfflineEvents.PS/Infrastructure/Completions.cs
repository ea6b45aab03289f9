using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>What the argument completers share: values starting with the typed word, quoted when they hold a space.</summary>
    internal static class Completions
    {
        public static IEnumerable<CompletionResult> Matching(IEnumerable<string> values, string? wordToComplete, Func<string, string>? toolTip = null)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return values
                .Where(v => v.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(v => new CompletionResult(v.IndexOf(' ') >= 0 ? "'" + v + "'" : v, v, CompletionResultType.ParameterValue, toolTip?.Invoke(v) ?? v));
        }
    }
}
