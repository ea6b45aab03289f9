using System;
using System.Collections.Generic;
using System.Diagnostics;
using OfflineEvents.Core.Rules;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>
    /// The feeding side shared by the row engines (delivery, export): counts the rows a reader adds, hands them to
    /// the ordered preparer, keeps the reader's position and asks for progress a few times a second.
    /// Feeding thread only.
    /// </summary>
    internal sealed class RowFeed
    {
        private readonly OrderedPreparer _preparer;
        private readonly Stopwatch _clock;
        private readonly Action _reportProgress;
        private long _nextProgress;

        public RowFeed(OrderedPreparer preparer, Stopwatch clock, Action reportProgress)
        {
            _preparer = preparer;
            _clock = clock;
            _reportProgress = reportProgress;
        }

        /// <summary>Rows added or rejected so far.</summary>
        public long Read { get; private set; }

        public long BytesRead { get; private set; }

        /// <summary>Bytes of all input files; 0 when unknown (pipeline input).</summary>
        public long TotalBytes { get; private set; }

        public string? Source { get; private set; }

        public void Add(EventShape shape, long row, long line, string?[] fields, string? source)
        {
            Read++;
            _preparer.Add(new PreparedEvent(shape, row, line, fields, source));
            if ((Read & 1023) == 0 && _clock.ElapsedMilliseconds >= _nextProgress)
            {
                _nextProgress = _clock.ElapsedMilliseconds + 250;
                _reportProgress();
            }
        }

        /// <summary>A row the reader could not take apart: it goes through in order, already rejected.</summary>
        public void Reject(EventShape shape, long row, long line, string?[] fields, string? source, string ruleId, string column, string message)
        {
            Read++;
            _preparer.Add(new PreparedEvent(shape, row, line, fields, source) { Errors = new List<RowIssue> { new RowIssue(ruleId, Severity.Error, column, message) } });
        }

        public void SetPosition(string? source, long bytesRead, long totalBytes)
        {
            Source = source;
            BytesRead = bytesRead;
            TotalBytes = totalBytes;
        }

        /// <summary>Prepares and merges everything added so far.</summary>
        public void Flush() => _preparer.Flush();
    }

    /// <summary>Counts per rule id (rejects or warnings), with their total.</summary>
    internal sealed class RuleCounts
    {
        private readonly Dictionary<string, long> _counts = new Dictionary<string, long>(StringComparer.Ordinal);

        public long Total { get; private set; }

        public void Add(string rule)
        {
            _counts.TryGetValue(rule, out long n);
            _counts[rule] = n + 1;
            Total++;
        }

        /// <summary>How many of this rule so far.</summary>
        public long Count(string rule) => _counts.TryGetValue(rule, out long n) ? n : 0;

        public IEnumerable<KeyValuePair<string, long>> Entries => _counts;

        public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_counts);
    }
}
