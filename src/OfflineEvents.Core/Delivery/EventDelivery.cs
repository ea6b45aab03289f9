using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using OfflineEvents.Core.Api;
using OfflineEvents.Core.Rules;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>
    /// Delivers rows to an offline event set through event/track/. The feeding thread adds rows; workers
    /// validate, hash and serialize them in order-preserving chunks; full batches go out while the next ones
    /// are prepared, several at a time, paced. Every acknowledged batch is journaled before it counts as
    /// delivered. TikTok's 40002 for a batch is answered by isolating the bad events (by the indices in its
    /// message, else by halving) and delivering the rest. Host-free: the cmdlet is one host, tests another.
    /// </summary>
    public sealed class EventDelivery : IRowSink
    {
        private static readonly Regex BatchIndex = new Regex(@"Batch\.(\d+)", RegexOptions.CultureInvariant | RegexOptions.Compiled);

        private readonly BusinessApiClient? _client;
        private readonly DeliveryOptions _options;
        private readonly IDeliveryHost _host;
        private readonly DeliveryJournal? _journal;
        private readonly HashSet<string>? _seenThisRun;
        private readonly RequestPacer _pacer;
        // Batches prepared and waiting (or sending), and batches sending: the feeding thread may run up to
        // MaxBatchesInFlight batches ahead of the network, so preparing the next batches overlaps sending these.
        private readonly SemaphoreSlim _slots;
        private readonly SemaphoreSlim _sendSlots;
        private readonly RowFeed _feed;
        private readonly List<Task> _sending = new List<Task>();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly byte[] _bodyPrefix;
        private readonly object _gate = new object();

        private List<PreparedEvent> _batch;
        // With a journal, rows wait here until a batch's worth can be looked up in one query.
        private List<PreparedEvent> _pending;
        private readonly List<string> _inputs = new List<string>();
        private object? _lastSource = new object();
        private readonly long? _retentionCutoff;
        private int _batchNumber;
        private long _delivered, _rejectedByApi, _skipped, _notSent, _duplicates, _requests, _retries;
        private int _consecutiveFailures;
        private readonly List<string> _requestIds = new List<string>();
        private readonly RuleCounts _rejects = new RuleCounts(); // under _gate: senders reject too
        private readonly WarningTally _warnings = new WarningTally();
        private volatile DeliveryAbortedException? _fatal;
        private volatile bool _stopping;

        /// <param name="client">The API client; null sends nothing (every batch counts as not sent, as under -WhatIf).</param>
        /// <param name="options">Event set, batching and pacing.</param>
        /// <param name="host">Receives rejects, batch results and progress; answers ShouldProcess.</param>
        /// <param name="journal">Skips what earlier runs delivered and records what this one delivers; null for none.</param>
        public EventDelivery(BusinessApiClient? client, DeliveryOptions options, IDeliveryHost host, DeliveryJournal? journal)
        {
            _client = client;
            _options = options ?? throw new ArgumentNullException(nameof(options));
            _host = host ?? throw new ArgumentNullException(nameof(host));
            _journal = journal;
            // With a journal, an event repeated within the input is skipped like one delivered by an earlier run.
            _seenThisRun = journal != null ? new HashSet<string>(StringComparer.Ordinal) : null;
            _pacer = new RequestPacer(options.MaxRequestsPerSecond);
            _slots = new SemaphoreSlim(2 * Math.Max(1, options.MaxBatchesInFlight));
            _sendSlots = new SemaphoreSlim(Math.Max(1, options.MaxBatchesInFlight));
            _batch = new List<PreparedEvent>(options.BatchSize);
            _pending = new List<PreparedEvent>(journal != null ? options.BatchSize : 0);
            if (options.JournalRetentionDays.HasValue) _retentionCutoff = DateTimeOffset.UtcNow.AddDays(-options.JournalRetentionDays.Value).ToUnixTimeSeconds();
            _bodyPrefix = BuildBodyPrefix(options);
            var described = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
            _feed = new RowFeed(new OrderedPreparer(shape => new EventPreparer(shape, options, described), Prepare, MergeRow, host.Wait),
                _clock, ReportProgress);
        }

        public RowRuleOptions Rules => _options.Rows;

        /// <summary>Whether the run ends early (Stop, or a failure nothing further can get past): stop feeding.</summary>
        public bool IsStopping => _stopping || _fatal != null;

        /// <summary>Stops after the batches in flight; rows added later are ignored. Any thread.</summary>
        public void Stop() => _stopping = true;

        /// <summary>Progress of the file being read (bytes), for the percentage and ETA.</summary>
        public void SetPosition(string? source, long bytesRead, long totalBytes) => _feed.SetPosition(source, bytesRead, totalBytes);

        /// <summary>Adds one row. Returns false once the run is ending (feeding should stop). Feeding thread only.</summary>
        public bool Add(EventShape shape, long row, long line, string?[] fields, string? source)
        {
            if (IsStopping) return false;
            if (!ReferenceEquals(source, _lastSource)) NoteInput(source);
            _feed.Add(shape, row, line, fields, source);
            return true;
        }

        /// <summary>Rejects a row the reader could not take apart (a field count that does not match the header).</summary>
        public void Reject(EventShape shape, long row, long line, string?[] fields, string? source, string ruleId, string column, string message)
        {
            if (!IsStopping) _feed.Reject(shape, row, line, fields, source, ruleId, column, message);
        }

        /// <summary>Sends what is left, waits for every batch, and returns the summary. Throws DeliveryAbortedException when the run was aborted.</summary>
        public DeliverySummary Complete()
        {
            _feed.Flush();
            ResolvePending();
            if (_batch.Count > 0) SubmitBatch();
            Task all = Task.WhenAll(_sending.ToArray());
            _host.Wait(all);
            ReportProgress();
            EndRun(_fatal != null ? "Failed" : _stopping ? "Stopped" : "Completed");
            if (_fatal != null) throw _fatal;
            return Summary();
        }

        private void NoteInput(string? source)
        {
            _lastSource = source;
            string name = source ?? "(pipeline)";
            if (!_inputs.Contains(name)) _inputs.Add(name);
        }

        /// <summary>Closes the journal's record of this run; a journal that fails here does not hide the run's own error.</summary>
        private void EndRun(string outcome)
        {
            if (_journal == null || _client == null) return;
            var s = Summary();
            try
            {
                _journal.EndRun(outcome, _inputs, s.Read, s.Delivered, s.Skipped, s.Rejected, s.NotSent);
            }
            catch (JournalWriteException ex)
            {
                if (_fatal == null) _fatal = JournalFailed(ex, $"The run's record could not be closed: {ex.Message}");
            }
        }

        private static DeliveryAbortedException JournalFailed(JournalWriteException ex, string message) =>
            new DeliveryAbortedException(message, new TikTokApiException(ex.Message, ApiErrorKind.Unknown, inner: ex)) { JournalError = ex };

        /// <summary>Waits (bounded) for the batches in flight, when a run is torn down without Complete (Ctrl+C).</summary>
        public void Abandon(TimeSpan wait)
        {
            Stop();
            Task[] sending;
            lock (_gate) sending = _sending.ToArray();
            if (Task.WaitAll(sending, wait)) EndRun("Stopped");
        }

        public DeliverySummary Summary()
        {
            lock (_gate)
            {
                return new DeliverySummary(_options.EventSetId, _feed.Read, Interlocked.Read(ref _delivered), _rejects.Total, Interlocked.Read(ref _rejectedByApi),
                    _skipped, Interlocked.Read(ref _notSent), _duplicates, _batchNumber, Interlocked.Read(ref _requests), Interlocked.Read(ref _retries),
                    _requestIds.ToArray(), _clock.Elapsed, _client == null, _stopping,
                    _rejects.Snapshot(), _warnings.Counts(), _journal?.Path, _options.RejectPath, _options.TestEventCode);
            }
        }

        /// <summary>The first example of each warning rule, for a one-line-per-rule report at the end.</summary>
        public IEnumerable<(string RuleId, long Count, string Where, string Message)> WarningExamples() => _warnings.Examples();

        private void ReportProgress()
        {
            long rejected;
            lock (_gate) rejected = _rejects.Total;
            _host.Progress(new DeliveryProgress(_feed.Read, Interlocked.Read(ref _delivered), rejected, _skipped, _feed.BytesRead, _feed.TotalBytes, _clock.Elapsed, _feed.Source));
        }

        // On a worker. A row that will wait in a batch keeps its values packed (see PackedFields).
        private static void Prepare(EventPreparer preparer, PreparedEvent row)
        {
            preparer.Prepare(row, json: true);
            if (row.Errors == null) row.PackFields();
        }

        // ---- merging prepared rows, in input order, on the feeding thread ----

        private void MergeRow(PreparedEvent row)
        {
            if (row.Errors != null)
            {
                RejectRow(row, row.Errors, null);
                return;
            }
            _warnings.Add(row);
            if (_journal != null)
            {
                _pending.Add(row);
                if (_pending.Count >= _options.BatchSize) ResolvePending();
                return;
            }
            if (IsBeyondRetention(row)) return;
            Enqueue(row);
        }

        /// <summary>
        /// Looks the waiting rows up in the journal in one query per event name (a query per row cost the feeding
        /// thread more than the rest of a row's bookkeeping), then skips what earlier runs delivered and what this
        /// run already has, in input order.
        /// </summary>
        private void ResolvePending()
        {
            if (_pending.Count == 0) return;
            var rows = _pending;
            _pending = new List<PreparedEvent>(_options.BatchSize);
            var delivered = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                foreach (var group in rows.GroupBy(r => r.EventName, StringComparer.Ordinal))
                {
                    foreach (string id in _journal!.FindDelivered(_options.EventSetId, group.Key, group.Select(r => r.EventId).ToList()))
                    {
                        delivered.Add(DeliveryJournal.Key(_options.EventSetId, group.Key, id));
                    }
                }
            }
            catch (JournalWriteException ex)
            {
                if (_fatal == null) _fatal = JournalFailed(ex, ex.Message);
                Interlocked.Add(ref _notSent, rows.Count);
                return;
            }
            foreach (var row in rows)
            {
                string key = row.JournalKey(_options.EventSetId);
                if (delivered.Contains(key))
                {
                    _skipped++;
                    row.ReleaseFields();
                    continue;
                }
                if (IsBeyondRetention(row)) continue;
                if (!_seenThisRun!.Add(key))
                {
                    _skipped++;
                    _duplicates++;
                    row.ReleaseFields();
                    continue;
                }
                Enqueue(row);
            }
        }

        private void Enqueue(PreparedEvent row)
        {
            if (IsStopping)
            {
                Interlocked.Increment(ref _notSent);
                return;
            }
            _batch.Add(row);
            if (_batch.Count >= _options.BatchSize) SubmitBatch();
        }

        /// <summary>Rejects an event older than -JournalRetentionDays: the journal may have forgotten it was sent.</summary>
        private bool IsBeyondRetention(PreparedEvent row)
        {
            if (_retentionCutoff == null || row.EventTime >= _retentionCutoff.Value) return false;
            int column = row.Shape.Map[OfflineEventColumns.Timestamp];
            string header = column >= 0 && column < row.Shape.Headers.Count ? row.Shape.Headers[column] : OfflineEventColumns.Timestamp;
            string when = DateTimeOffset.FromUnixTimeSeconds(row.EventTime).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
            RejectRow(row, new[]
            {
                new RowIssue(RuleIds.TimestampBeyondRetention, Severity.Error, header,
                    $"timestamp {when} is older than -JournalRetentionDays {_options.JournalRetentionDays}: the journal no longer says whether it was sent, so it is not sent again (TikTok attributes events up to 28 days old)"),
            }, null);
            return true;
        }

        private void RejectRow(PreparedEvent row, IReadOnlyList<RowIssue> errors, int? apiCode)
        {
            lock (_gate) _rejects.Add(errors[0].RuleId);
            // Rejects nobody will see (-ErrorAction Ignore, no reject file) are only counted; TikTok's are always reported.
            var rejected = _options.Rows.DescribeRejects || apiCode != null ? RejectedEvent.Of(row, errors, _options.Rows.Pii, apiCode) : null;
            row.ReleaseFields();
            if (rejected != null) _host.Rejected(rejected);
        }

        // ---- sending ----

        private void SubmitBatch()
        {
            var events = _batch;
            _batch = new List<PreparedEvent>(_options.BatchSize);
            int number = ++_batchNumber;
            _host.Wait(_slots.WaitAsync());
            // Asked here, on the feeding thread, so that -WhatIf and -Confirm name the batches in order; asked
            // inside the batch's task, batches racing for a send slot were named out of order.
            var approval = _host.ApproveAsync(number, events.Count, events[0].Row, events[events.Count - 1].Row);
            var task = Task.Run(() => DeliverBatchAsync(number, events, approval));
            lock (_gate)
            {
                _sending.RemoveAll(t => t.IsCompleted);
                _sending.Add(task);
            }
        }

        private sealed class BatchProgress
        {
            public int Delivered, Rejected, Requests, Attempts;
            public readonly List<string> RequestIds = new List<string>();
            public string? Note;
        }

        private async Task DeliverBatchAsync(int number, List<PreparedEvent> events, Task<bool> approval)
        {
            var progress = new BatchProgress();
            bool sent = false;
            await _sendSlots.WaitAsync().ConfigureAwait(false);
            var clock = Stopwatch.StartNew();
            try
            {
                if (IsStopping || !await approval.ConfigureAwait(false) || IsStopping || _client == null)
                {
                    return;
                }
                sent = true;
                await SendAsync(number, events, progress).ConfigureAwait(false);
            }
            catch (DeliveryAbortedException ex)
            {
                if (_fatal == null) _fatal = ex;
            }
            catch (Exception ex)
            {
                // A bug must not lose the batch silently: end the run with it.
                if (_fatal == null) _fatal = new DeliveryAbortedException("Delivery failed unexpectedly: " + ex.Message, new TikTokApiException(ex.Message, ApiErrorKind.Unknown, inner: ex));
            }
            finally
            {
                int unsent = events.Count - progress.Delivered - progress.Rejected;
                Interlocked.Add(ref _notSent, unsent);
                lock (_gate) _requestIds.AddRange(progress.RequestIds);
                _sendSlots.Release();
                _slots.Release();
                _host.BatchCompleted(new BatchResult(number, events[0].Row, events[events.Count - 1].Row, events.Count, progress.Delivered, progress.Rejected,
                    progress.Requests, progress.Attempts, progress.RequestIds.ToArray(), clock.Elapsed, sent, progress.Note));
            }
        }

        private async Task SendAsync(int number, List<PreparedEvent> events, BatchProgress progress)
        {
            while (true)
            {
                if (_fatal != null) return;
                await _pacer.WaitAsync().ConfigureAwait(false);
                progress.Requests++;
                Interlocked.Increment(ref _requests);
                try
                {
                    var response = await _client!.PostAsync("event/track/", () => new BatchContent(_bodyPrefix, events), CancellationToken.None).ConfigureAwait(false);
                    progress.Attempts += response.Attempts;
                    Interlocked.Add(ref _retries, response.Attempts - 1);
                    progress.RequestIds.Add(response.RequestId);
                    if (response.Code != 0)
                    {
                        progress.Note = $"code {response.Code}: {response.Message}";
                        _host.Warning($"Batch {number}: TikTok answered code {response.Code} ({response.Message}); counted as delivered (request id {response.RequestId}).");
                    }
                    JournalWriteException? unjournaled = null;
                    try
                    {
                        _journal?.Append(response.RequestId, events.Select(e => new JournalEntry(_options.EventSetId, e.EventName, e.EventId, e.OrderId)).ToArray());
                    }
                    catch (JournalWriteException ex)
                    {
                        unjournaled = ex;
                    }
                    // TikTok has these events either way: they count as delivered, journaled or not.
                    progress.Delivered += events.Count;
                    Interlocked.Add(ref _delivered, events.Count);
                    if (unjournaled != null)
                    {
                        foreach (var e in events) e.ReleaseFields();
                        throw JournalFailed(unjournaled, $"TikTok acknowledged batch {number} ({events.Count:N0} events, request id {response.RequestId}), but {unjournaled.Message} "
                            + "The run stopped there. A rerun with this journal sends those events again; TikTok deduplicates them by event_id.");
                    }
                    Interlocked.Exchange(ref _consecutiveFailures, 0);
                    foreach (var e in events) e.ReleaseFields();
                    return;
                }
                catch (TikTokApiException ex)
                {
                    progress.Attempts += Math.Max(1, ex.Attempts);
                    Interlocked.Add(ref _retries, Math.Max(0, ex.Attempts - 1));
                    if (!string.IsNullOrEmpty(ex.RequestId)) progress.RequestIds.Add(ex.RequestId!);
                    switch (ex.Kind)
                    {
                        case ApiErrorKind.InvalidRequest:
                        case ApiErrorKind.PiiNotHashed:
                        case ApiErrorKind.BatchTooLarge:
                            if (ex.Kind != ApiErrorKind.BatchTooLarge && IsAboutTheRequest(ex.Message))
                            {
                                throw new DeliveryAbortedException($"TikTok rejected the request itself, not its events: {ex.Message}", ex);
                            }
                            events = await IsolateAsync(number, events, progress, ex).ConfigureAwait(false);
                            if (events.Count == 0) return;
                            continue;
                        default:
                            if (!ex.IsRetryable) throw new DeliveryAbortedException(ex.Message, ex);
                            int failures = Interlocked.Increment(ref _consecutiveFailures);
                            if (failures >= _options.BreakAfterFailedBatches)
                            {
                                throw new DeliveryAbortedException(
                                    $"TikTok looks unavailable: {failures} batches in a row failed after every retry; the last: {ex.Message} "
                                    + "Events not acknowledged were not journaled: rerun with the same -JournalPath to send the rest.", ex) { CircuitBroken = true };
                            }
                            _host.Warning($"Batch {number} failed after {ex.Attempts} attempt(s): {ex.Message} Trying it again in {_options.FailedBatchPause.TotalSeconds:0.#} s.");
                            await Task.Delay(_options.FailedBatchPause).ConfigureAwait(false);
                            continue;
                    }
                }
            }
        }

        /// <summary>
        /// A batch failed validation. Events named in TikTok's message ("Batch.12.event_time: ...") are rejected
        /// with their part of it; without indices the batch is halved until single events fail. Returns the
        /// events still to send in one request (empty when the halves were sent here).
        /// </summary>
        private async Task<List<PreparedEvent>> IsolateAsync(int number, List<PreparedEvent> events, BatchProgress progress, TikTokApiException ex)
        {
            var culprits = new SortedDictionary<int, List<string>>();
            string[] parts = ex.Message.Split(new[] { "; " }, StringSplitOptions.RemoveEmptyEntries);
            foreach (string part in parts)
            {
                foreach (Match m in BatchIndex.Matches(part))
                {
                    if (!int.TryParse(m.Groups[1].Value, out int i) || i >= events.Count) continue;
                    if (!culprits.TryGetValue(i, out var messages)) culprits[i] = messages = new List<string>();
                    string text = part.Substring(part.IndexOf(m.Value, StringComparison.Ordinal)).Trim();
                    int cut = text.IndexOf(" (request id", StringComparison.Ordinal);
                    messages.Add(cut > 0 ? text.Substring(0, cut) : text);
                }
            }
            if (culprits.Count > 0)
            {
                foreach (var c in culprits) RejectByApi(events[c.Key], ex, string.Join("; ", c.Value), progress);
                var rest = events.Where((e, i) => !culprits.ContainsKey(i)).ToList();
                _host.Debug($"Batch {number}: TikTok named {culprits.Count} bad event(s) ({ex.Code}); sending the other {rest.Count}.");
                return rest;
            }
            if (events.Count == 1)
            {
                RejectByApi(events[0], ex, ex.Message, progress);
                return new List<PreparedEvent>();
            }
            int half = events.Count / 2;
            _host.Debug($"Batch {number}: TikTok rejected {events.Count} events without naming one ({ex.Code}); halving to find the bad ones.");
            await SendAsync(number, events.GetRange(0, half), progress).ConfigureAwait(false);
            await SendAsync(number, events.GetRange(half, events.Count - half), progress).ConfigureAwait(false);
            return new List<PreparedEvent>();
        }

        private void RejectByApi(PreparedEvent row, TikTokApiException ex, string message, BatchProgress progress)
        {
            progress.Rejected++;
            Interlocked.Increment(ref _rejectedByApi);
            RejectRow(row, new[] { new RowIssue("ApiRejected", Severity.Error, string.Empty, $"TikTok rejected the event (code {ex.Code}, request id {ex.RequestId}): {message}") }, ex.Code);
        }

        /// <summary>A 40002 that names no event but the request's own fields (event_source_id...): halving cannot help.</summary>
        private static bool IsAboutTheRequest(string message) =>
            !BatchIndex.IsMatch(message)
            && (message.IndexOf("event_source", StringComparison.OrdinalIgnoreCase) >= 0 || message.IndexOf("partner_name", StringComparison.OrdinalIgnoreCase) >= 0
                || message.IndexOf("test_event_code", StringComparison.OrdinalIgnoreCase) >= 0);

        private static byte[] BuildBodyPrefix(DeliveryOptions options)
        {
            var prefix = new Dictionary<string, object?>
            {
                ["event_source"] = "offline",
                ["event_source_id"] = options.EventSetId,
                ["partner_name"] = options.PartnerName,
            };
            if (!string.IsNullOrEmpty(options.TestEventCode)) prefix["test_event_code"] = options.TestEventCode;
            string json = System.Text.Json.JsonSerializer.Serialize(prefix);
            return Encoding.UTF8.GetBytes(json.Substring(0, json.Length - 1) + ",\"data\":[");
        }
    }
}
