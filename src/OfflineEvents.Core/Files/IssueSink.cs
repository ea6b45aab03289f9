using System;
using System.Collections.Generic;
using System.Linq;
using OfflineEvents.Core.Rules;

namespace OfflineEvents.Core.Files
{
    /// <summary>Keeps the first N issues of each rule and exact counts of all.</summary>
    internal sealed class IssueSink
    {
        private readonly string _path;
        private readonly int _keep;
        private readonly List<FileIssue> _issues = new List<FileIssue>();
        private readonly Dictionary<string, long> _counts = new Dictionary<string, long>(StringComparer.Ordinal);
        // Rules that have all the issues they keep; read by validation workers while this sink is written.
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _saturated =
            new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        private long _errors, _warnings;
        private bool _truncated;

        public IssueSink(string path, int keep)
        {
            _path = path;
            _keep = Math.Max(1, keep);
        }

        public void Add(long line, long row, string column, string rule, Severity severity, string message)
        {
            _counts.TryGetValue(rule, out long count);
            _counts[rule] = count + 1;
            if (severity == Severity.Error) _errors++; else _warnings++;
            // Rows without email or phone are normal (walk-in sales): one issue says so, RuleCounts has how many.
            int keep = rule == RuleIds.IdentityMissing ? 1 : _keep;
            if (count < keep) _issues.Add(new FileIssue(_path, line, row, column, rule, severity, message));
            else _truncated = true;
            if (count + 1 == keep) _saturated[rule] = true; // once: each write takes a lock the workers' reads would meet
        }

        /// <summary>Whether issues of this rule are still kept (their messages are worth formatting). Thread-safe.</summary>
        public bool Wants(string rule) => !_saturated.ContainsKey(rule);

        /// <summary>Issues of a rule so far, kept or not.</summary>
        public long Count(string rule) => _counts.TryGetValue(rule, out long n) ? n : 0;

        /// <summary>Counts issues a scanner found but did not keep.</summary>
        public void AddUncounted(string rule, long more, Severity severity)
        {
            if (more <= 0) return;
            _counts.TryGetValue(rule, out long count);
            _counts[rule] = count + more;
            if (severity == Severity.Error) _errors += more; else _warnings += more;
            _truncated = true;
        }

        /// <summary>The columns read and the fields they feed (the last header seen).</summary>
        public IReadOnlyList<ColumnSource> Columns { get; set; } = Array.Empty<ColumnSource>();

        /// <summary>Rows the -EventTypeMap maps to no event.</summary>
        public long Skipped { get; set; }

        /// <summary>Rows with a valid email, phone, both, neither (rows the rules checked).</summary>
        public IdentityCoverage Coverage { get; } = new IdentityCoverage();

        public FileCheckResult Result(long bytes, long rows) =>
            new FileCheckResult(_path, bytes, rows, _errors, _warnings, _counts, _issues.OrderBy(i => i.Line).ThenBy(i => i.Row).ToList(), _truncated, Columns, Skipped) { Coverage = Coverage };
    }
}
