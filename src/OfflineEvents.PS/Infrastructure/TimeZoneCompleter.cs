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
            return Completions.Matching(TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).OrderBy(id => id, StringComparer.Ordinal), wordToComplete);
        }
    }
}
