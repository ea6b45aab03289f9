using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>Tab completion for -TimeZone: the time zone ids this system knows (IANA names on Linux and macOS).</summary>
    public sealed class TimeZoneCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return TimeZoneInfo.GetSystemTimeZones()
                .Select(z => z.Id)
                .Where(id => id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .OrderBy(id => id, StringComparer.Ordinal)
                .Select(id => new CompletionResult(id.IndexOf(' ') >= 0 ? "'" + id + "'" : id, id, CompletionResultType.ParameterValue, id));
        }
    }
}
