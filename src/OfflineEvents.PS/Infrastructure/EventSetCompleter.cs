using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using System.Threading.Tasks;
using OfflineEvents.Core.Api;
using OfflineEvents.Core.EventSets;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>
    /// Tab completion for -EventSetId (ids, also found by typing the start of a set's name) and -Name: the connected
    /// advertiser's event sets, from one offline/get. Silent (no completions) when not connected or when the call fails
    /// or takes longer than <see cref="Timeout"/>: a TAB must never hang a prompt or print an error.
    /// </summary>
    public sealed class EventSetCompleter : IArgumentCompleter
    {
        internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var sets = ListSets();
            if (string.Equals(parameterName, "Name", StringComparison.OrdinalIgnoreCase))
            {
                return sets.Where(s => s.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                    .OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase)
                    // Escaped: -Name takes wildcards, and a completed name must match only its own set.
                    .Select(s => new CompletionResult(Quote(WildcardPattern.Escape(s.Name)), s.Name, CompletionResultType.ParameterValue, $"{s.Name} ({s.EventSetId})"))
                    .ToList();
            }
            return sets.Where(s => s.EventSetId.StartsWith(prefix, StringComparison.Ordinal) || (prefix.Length > 0 && s.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
                .OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase)
                .Select(s => new CompletionResult(s.EventSetId, $"{s.EventSetId} {s.Name}", CompletionResultType.ParameterValue, $"{s.Name} ({s.EventSetId})"))
                .ToList();
        }

        private static IReadOnlyList<OfflineEventSet> ListSets()
        {
            var connection = CurrentConnection();
            if (connection == null) return Array.Empty<OfflineEventSet>();
            try
            {
                using var cancel = new CancellationTokenSource(Timeout);
                using var client = new BusinessApiClient(connection);
                // Off the pipeline thread, so no synchronization context can deadlock the wait.
                var listing = Task.Run(() => new EventSetClient(client).GetAsync(null, null, cancel.Token));
                return listing.Wait(Timeout) ? listing.Result : Array.Empty<OfflineEventSet>();
            }
            catch (Exception ex) when (ex is AggregateException || ex is TikTokApiException || ex is OperationCanceledException || ex is ArgumentException)
            {
                return Array.Empty<OfflineEventSet>();
            }
        }

        /// <summary>The connection the cmdlet would use without parameters, with one short attempt and no retries.</summary>
        private static ApiConnection? CurrentConnection()
        {
            try
            {
                return ApiCmdletBase.FindConnection(null, null, null, new RetrySettings(Timeout, 0));
            }
            catch (ArgumentException)
            {
                return null;
            }
        }

        private static string Quote(string name) =>
            name.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', ';', '(', ')', '{', '}', ',', '#', '@', '&', '|' }) >= 0 ? "'" + name.Replace("'", "''") + "'" : name;
    }
}
