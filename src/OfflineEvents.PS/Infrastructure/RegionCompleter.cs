using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using OfflineEvents.Core.Pii;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>Tab completion for -DefaultRegion: the two-letter regions libphonenumber knows.</summary>
    public sealed class RegionCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            return Completions.Matching(PiiNormalizer.SupportedRegions, wordToComplete);
        }
    }
}
