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
    /// message, else by halving) and delivering the rest. An event repeated in the input is sent once. Host-free:
    /// the cmdlet is one host, tests another.
    /// </summary>
    public sealed class EventDelivery : IRowSink
    {
        // event/track names a bad event "data.N" (or not at all); "Batch.N" is the retired pixel/batch endpoint's form.
        private static readonly Regex BatchIndex = new Regex(@"\b(?:data|Batch)\.(\d+)", RegexOptions.CultureInvariant | RegexOptions.Compiled);
        private static readonly Regex Digits = new Regex(@"\d+", RegexOptions.CultureInvariant | RegexOptions.Compiled);

        /// <summary>Single events tried when a batch fails the same way twice, before the rest is taken to fail that way too.</summary>
        private const int Probes = 8;

        private readonly BusinessApiClient? _client;
        private readonly DeliveryOptions _options;
        private readonly IDeliveryHost _host;
        private readonly DeliveryJournal? _journal;
        // Events this run has taken (bounded memory: spilled to temporary files past options.SeenEventsInMemory).
        private readonly SeenEvents _seenThisRun;
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
        // Rows: delivered (an order's lines), without email or phone; events built from the rows.
        private long _deliveredRows, _unidentified, _events, _eventRows, _notGrouped;
        private readonly OrderGrouper _orders;
        private readonly IdentityCoverage _coverage = new IdentityCoverage(); // events, on the feeding thread
        private readonly EventJsonWriter _orderJson;
        // Deliveries so far: a batch that fails after every retry counts its failures only while this stays the same.
        private long _deliveries;
        private long _lastDeliveryTicks = DateTime.UtcNow.Ticks;
        private readonly List<string> _requestIds = new List<string>();
        private readonly RuleCounts _rejects = new RuleCounts(); // under _gate: senders reject too
        private readonly WarningTally _warnings = new WarningTally();
        private readonly EventTypeHint _eventTypeHint = new EventTypeHint();
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
            _pacer = new RequestPacer(options.MaxRequestsPerSecond);
            _seenThisRun = new SeenEvents(options.SeenEventsInMemory, options.TemporaryFolder, host.Warning);
            _slots = new SemaphoreSlim(2 * Math.Max(1, options.MaxBatchesInFlight));
            _sendSlots = new SemaphoreSlim(Math.Max(1, options.MaxBatchesInFlight));
            _batch = new List<PreparedEvent>(options.BatchSize);
            _pending = new List<PreparedEvent>(journal != null ? options.BatchSize : 0);
            if (options.JournalRetentionDays.HasValue) _retentionCutoff = DateTimeOffset.UtcNow.AddDays(-options.JournalRetentionDays.Value).ToUnixTimeSeconds();
            _bodyPrefix = BuildBodyPrefix(options);
            var described = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
            _orders = new OrderGrouper(options.OrderWindow, CloseOrder);
            _orderJson = new EventJsonWriter(options);
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
            try
            {
                _feed.Flush();
                _eventTypeHint.Report(_host, _options.Rows);
                _orders.CloseAll();
                ResolvePending();
            }
            finally
            {
                // Every event has been admitted: its temporary files go now, before the last batches are awaited.
                _seenThisRun.Dispose();
            }
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
            _seenThisRun.Dispose();
            Task[] sending;
            lock (_gate) sending = _sending.ToArray();
            if (Task.WaitAll(sending, wait)) EndRun("Stopped");
        }

        public DeliverySummary Summary()
        {
            lock (_gate)
            {
                long deliveredRows = Interlocked.Read(ref _deliveredRows);
                // What is neither delivered, skipped, rejected nor unidentified was not sent (every batch has ended when this is asked at the end).
                long notSentRows = Math.Max(0, _feed.Read - deliveredRows - _skipped - _rejects.Total - _unidentified);
                return new DeliverySummary(_options.EventSetId, _feed.Read, Interlocked.Read(ref _delivered), _rejects.Total, Interlocked.Read(ref _rejectedByApi),
                    _skipped, Interlocked.Read(ref _notSent), _duplicates, _batchNumber, Interlocked.Read(ref _requests), Interlocked.Read(ref _retries),
                    _requestIds.ToArray(), _clock.Elapsed, _client == null, _stopping,
                    _rejects.Snapshot(), _warnings.Counts(), _journal?.Path,
                    _rejects.Total > 0 ? _options.RejectPath : null, _options.TestEventCode) // no rejects, no reject file
                {
                    DeliveredRows = deliveredRows,
                    NotSentRows = notSentRows,
                    Unidentified = _unidentified,
                    Events = Interlocked.Read(ref _events),
                    RowsInEvents = Interlocked.Read(ref _eventRows),
                    NotGrouped = _notGrouped,
                    Coverage = _coverage.Copy(),
                };
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

        // On a worker.
        private static void Prepare(EventPreparer preparer, PreparedEvent row)
        {
            preparer.Prepare(row, json: true);
            if (row.Errors != null || row.Skipped || (row.Unidentified && row.GroupKey == null)) return;
            // A line of an order gets its order's id and key here, off the feeding thread.
            row.Key = EventKey.Of(row.EventName, row.EventId);
        }

        // ---- merging prepared rows, in input order, on the feeding thread ----

        private void MergeRow(PreparedEvent row)
        {
            if (row.Errors != null)
            {
                RejectRow(row, row.Errors, null);
                return;
            }
            if (row.Skipped)
            {
                _skipped++;
                row.ReleaseFields();
                return;
            }
            _warnings.Add(row);
            if (row.GroupKey != null)
            {
                AddLine(row);
                return;
            }
            if (row.Unidentified)
            {
                _unidentified++;
                _coverage.Add(false, false);
                row.ReleaseFields();
                return;
            }
            _coverage.Add(row.OrderLine!.Email != null, row.OrderLine.Phone != null);
            row.OrderLine = null;
            Forward(row);
        }

        // ---- orders: lines grouped into one event each (-GroupBy Order) ----

        private void AddLine(PreparedEvent line)
        {
            if (_orders.TryAdd(line)) return;
            // Its order is not open. If it was sent already (closed when the window was full), this line goes alone.
            if (SeenBefore(line.Key))
            {
                SendAlone(line);
                return;
            }
            _orders.Open(line);
        }

        /// <summary>A line that came after its order had been sent: an event of its own, with a line id and a warning.</summary>
        private void SendAlone(PreparedEvent line)
        {
            _notGrouped++;
            var l = line.OrderLine!;
            if (l.GivenEventId.Length == 0)
            {
                line.EventId = EventIds.Derive(line.EventName, line.EventTime, line.OrderId, l.ProductId, l.Email, l.Phone, l.ExternalId, l.Total, l.Quantity, l.StoreId);
                line.Key = EventKey.Of(line.EventName, line.EventId);
            }
            _warnings.Add(RuleIds.OrderNotGrouped, WarningTally.Where(line),
                $"order {line.OrderId} has a line more than {_options.OrderWindow:N0} orders after its first: its event was sent already, so the line is sent as an event of its own (TikTok counts it as another conversion); sort the export by order id");
            if (!l.HasIdentity)
            {
                _unidentified++;
                _coverage.Add(false, false);
                line.ReleaseFields();
                return;
            }
            _coverage.Add(l.Email != null, l.Phone != null);
            line.GroupKey = null;
            line.Json = _orderJson.Write(line.EventName, line.EventTime, line.EventId, line.OrderId, l.StoreId, l.Currency, new[] { l });
            line.OrderLine = null;
            Forward(line);
        }

        /// <summary>
        /// Builds an order's event from its lines: contents in input order, value the sum of the lines' totals, every
        /// distinct identifier, the earliest line's time. A line repeating one before it (same product, time, total,
        /// quantity and identifiers) is skipped as a repeat, as it was when every row was an event.
        /// </summary>
        private void CloseOrder(List<PreparedEvent> rows, bool early)
        {
            var first = rows[0];
            var lines = new List<OrderLine>(rows.Count);
            var kept = new List<PreparedEvent>(rows.Count);
            // Most orders have one line: no repeats to look for.
            var seen = rows.Count > 1 ? new HashSet<string>(StringComparer.Ordinal) : null;
            long time = first.EventTime, latest = first.EventTime;
            string? currency = null;
            bool identified = false, mixedCurrency = false, email = false, phone = false;
            foreach (var row in rows)
            {
                var l = row.OrderLine!;
                if (seen != null && IsRepeat(l, row.EventTime, seen))
                {
                    _skipped++;
                    _duplicates++;
                    row.ReleaseFields();
                    continue;
                }
                lines.Add(l);
                kept.Add(row);
                identified |= l.HasIdentity;
                email |= l.Email != null;
                phone |= l.Phone != null;
                time = Math.Min(time, row.EventTime);
                latest = Math.Max(latest, row.EventTime);
                if (l.Currency != null)
                {
                    if (currency == null) currency = l.Currency;
                    else if (currency != l.Currency) mixedCurrency = true;
                }
            }
            _coverage.Add(email, phone);
            if (!identified)
            {
                _unidentified += kept.Count;
                foreach (var row in kept) row.ReleaseFields();
                return;
            }
            if (mixedCurrency)
            {
                _warnings.Add(RuleIds.OrderCurrencyConflict, WarningTally.Where(first),
                    $"order {first.OrderId} has lines in more than one currency: it is sent in {currency}, its first line's, and its value counts only the lines in {currency}");
            }
            foreach (var (key, count) in new[] { ("email", DistinctCount(lines, l => l.Emails)), ("phone", DistinctCount(lines, l => l.Phones)), ("external_id", DistinctCount(lines, l => l.ExternalIds)) })
            {
                int max = EventRowValidator.MaxValuesPerIdentifier;
                if (count <= max) continue;
                _warnings.Add(RuleIds.IdentifiersLeftOut, WarningTally.Where(first),
                    $"order {first.OrderId}'s lines have {count} distinct valid {key} values: the first {max} are sent, {count - max} left out (one customer rarely has more: a broken join?)");
            }
            if (latest - time > 86_400)
            {
                _warnings.Add(RuleIds.OrderTimeSpread, WarningTally.Where(first),
                    $"order {first.OrderId}'s lines are more than a day apart: it is sent at its earliest line's time");
            }
            var order = new PreparedEvent(first.Shape, first.Row, first.Line, Array.Empty<string?>(), first.Source)
            {
                Fields = null,
                Lines = kept,
                EventName = first.EventName,
                EventId = first.EventId,
                Key = first.Key,
                OrderId = first.OrderId,
                EventTime = time,
                Registered = early,
            };
            order.Json = _orderJson.Write(order.EventName, time, order.EventId, order.OrderId, first.OrderLine!.StoreId, currency, lines);
            foreach (var row in kept) row.OrderLine = null;
            // Remembered now, not when admitted: a later line of this order must find it sent.
            if (early) Take(order.Key);
            Forward(order);
        }

        private static bool IsRepeat(OrderLine l, long time, HashSet<string> seen) =>
            !seen.Add(string.Join("\n", time.ToString(System.Globalization.CultureInfo.InvariantCulture), l.ProductId, l.ProductName,
                l.Total?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty, l.Quantity?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
                string.Join(",", l.Emails), string.Join(",", l.Phones), string.Join(",", l.ExternalIds)));

        private static int DistinctCount(List<OrderLine> lines, Func<OrderLine, string[]> get)
        {
            // Most orders have one line, whose values are distinct already.
            if (lines.Count == 1) return get(lines[0]).Length;
            var all = new HashSet<string>(StringComparer.Ordinal);
            foreach (var l in lines) all.UnionWith(get(l));
            return all.Count;
        }

        /// <summary>An event built (a row of its own or an order): on to the journal's lookup and the batches.</summary>
        private void Forward(PreparedEvent row)
        {
            Interlocked.Increment(ref _events);
            Interlocked.Add(ref _eventRows, row.RowCount);
            // A journal that held nothing when this run took it (it holds the journal alone) has nothing to look up.
            if (_journal != null && _journal.LoadedCount > 0)
            {
                _pending.Add(row);
                if (_pending.Count >= _options.BatchSize) ResolvePending();
                return;
            }
            Admit(row);
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
            // The event set is the run's own: event name and event_id say which events earlier runs delivered.
            var delivered = new HashSet<(string Name, string Id)>();
            try
            {
                foreach (var group in rows.GroupBy(r => r.EventName, StringComparer.Ordinal))
                {
                    foreach (string id in _journal!.FindDelivered(_options.EventSetId, group.Key, group.Select(r => r.EventId).ToList()))
                    {
                        delivered.Add((group.Key, id));
                    }
                }
            }
            catch (JournalWriteException ex)
            {
                if (_fatal == null) _fatal = JournalFailed(ex, ex.Message);
                Interlocked.Add(ref _notSent, rows.Count);
                foreach (var row in rows) row.ReleaseFields();
                return;
            }
            foreach (var row in rows)
            {
                if (delivered.Contains((row.EventName, row.EventId)))
                {
                    _skipped += row.RowCount;
                    row.ReleaseFields();
                    continue;
                }
                Admit(row);
            }
        }

        /// <summary>
        /// A row not delivered by an earlier run: refused when older than the journal remembers, skipped when this run
        /// already has it (an event repeated within the input is sent once, journal or not: TikTok would keep one, so
        /// counting each as delivered would overstate the run), else queued.
        /// </summary>
        private void Admit(PreparedEvent row)
        {
            if (IsBeyondRetention(row)) return;
            if (!row.Registered && !Take(row.Key))
            {
                _skipped += row.RowCount;
                _duplicates += row.RowCount;
                row.ReleaseFields();
                return;
            }
            Enqueue(row);
        }

        /// <summary>Whether this run took the event already. When its temporary files fail, the run ends (see TemporaryFilesFailed).</summary>
        private bool SeenBefore(EventKey key)
        {
            try
            {
                return _seenThisRun.Contains(key);
            }
            catch (TemporaryFileException ex)
            {
                TemporaryFilesFailed(ex);
                return false;
            }
        }

        /// <summary>Takes the event for this run; false when it took it before. When its temporary files fail, the run
        /// ends and the event goes on as new, to be counted as not sent.</summary>
        private bool Take(EventKey key)
        {
            try
            {
                return _seenThisRun.Add(key);
            }
            catch (TemporaryFileException ex)
            {
                TemporaryFilesFailed(ex);
                return true;
            }
        }

        private void TemporaryFilesFailed(TemporaryFileException ex)
        {
            string message = ex.Message + " The run stopped there. Check that folder's disk (or point TMPDIR, TMP on Windows, to another folder) and run again"
                + (_journal != null ? ": the journal sends only what was not delivered." : "; -JournalPath would make a rerun send only what was not delivered.");
            // The first failure ends the run; a sender's, if one came first, is kept.
            Interlocked.CompareExchange(ref _fatal, new DeliveryAbortedException(message, new TikTokApiException(ex.Message, ApiErrorKind.Unknown, inner: ex)) { TemporaryFileError = ex }, null);
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
            if (row.Lines != null)
            {
                // An order's event: every line of it goes to the reject file, so the order can be fixed and sent again.
                Interlocked.Decrement(ref _events);
                Interlocked.Add(ref _eventRows, -row.Lines.Count);
                foreach (var line in row.Lines) RejectLine(line, errors, apiCode);
                row.Lines = null;
                return;
            }
            if (row.Json != null)
            {
                Interlocked.Decrement(ref _events);
                Interlocked.Decrement(ref _eventRows);
            }
            RejectLine(row, errors, apiCode);
        }

        private void RejectLine(PreparedEvent row, IReadOnlyList<RowIssue> errors, int? apiCode)
        {
            long ofRule;
            lock (_gate)
            {
                _rejects.Add(errors[0].RuleId);
                ofRule = _rejects.Count(errors[0].RuleId);
            }
            if (apiCode == null) _eventTypeHint.Note(row, errors);
            // The first rejects of a rule are reported one by one, the rest only counted, unless a reject file takes them all.
            bool reported = ofRule <= _options.RejectsReportedPerRule;
            // Rejects nobody will see (-ErrorAction Ignore, no reject file) are only counted; TikTok's are described too,
            // within the per-rule cap.
            bool describe = (_options.Rows.DescribeRejects || apiCode != null) && (reported || _options.RejectPath != null);
            var rejected = describe ? RejectedEvent.Of(row, errors, _options.Rows, apiCode) : null;
            row.ReleaseFields();
            if (rejected == null) return;
            rejected.Reported = reported;
            _host.Rejected(rejected);
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

        /// <summary>What isolating one batch's bad events has learnt: whether single events were already tried, and
        /// how the last named failure read.</summary>
        private sealed class Isolation
        {
            public bool Probed;
            public string? LastNamed;
        }

        private async Task SendAsync(int number, List<PreparedEvent> events, BatchProgress progress, Isolation? isolation = null)
        {
            var refused = await AttemptAsync(number, events, progress).ConfigureAwait(false);
            if (refused != null) await IsolateAsync(number, events, progress, refused, isolation ?? new Isolation()).ConfigureAwait(false);
        }

        /// <summary>
        /// Sends the events in one request until TikTok takes them (null) or refuses them for their content (the error).
        /// Transient failures are retried by the client; a batch that still fails waits and tries again, and the circuit
        /// opens when it has failed <see cref="DeliveryOptions.BreakAfterFailedBatches"/> times with nothing delivered by
        /// any batch meanwhile. That counts an outage's length, not how many batches were in flight when it began.
        /// </summary>
        private async Task<TikTokApiException?> AttemptAsync(int number, List<PreparedEvent> events, BatchProgress progress)
        {
            int failures = 0;
            long epoch = Interlocked.Read(ref _deliveries);
            bool triedBefore = false;
            while (true)
            {
                if (_fatal != null) return null;
                await _pacer.WaitAsync().ConfigureAwait(false);
                progress.Requests++;
                Interlocked.Increment(ref _requests);
                try
                {
                    var response = await _client!.PostAsync("event/track/", () => new BatchContent(_bodyPrefix, events), CancellationToken.None).ConfigureAwait(false);
                    progress.Attempts += response.Attempts;
                    Interlocked.Add(ref _retries, response.Attempts - 1);
                    progress.RequestIds.Add(response.RequestId);
                    if (response.IsPartial)
                    {
                        // What 20001 carries for event/track is undocumented: nothing says which events TikTok kept, so none
                        // is journaled and a rerun sends them all again (TikTok deduplicates by event_id).
                        progress.Note = $"code 20001 (partial success): {response.Message}; not counted as delivered";
                        _host.Warning($"Batch {number}: TikTok answered code 20001, partial success ({response.Message}; request id {response.RequestId}). "
                            + $"Its {events.Count:N0} events are not counted as delivered nor journaled: run again to resend them (TikTok deduplicates by event_id).");
                        return null;
                    }
                    Delivered(events, response.RequestId, progress, number);
                    return null;
                }
                catch (TikTokApiException ex)
                {
                    progress.Attempts += Math.Max(1, ex.Attempts);
                    Interlocked.Add(ref _retries, Math.Max(0, ex.Attempts - 1));
                    if (!string.IsNullOrEmpty(ex.RequestId)) progress.RequestIds.Add(ex.RequestId!);
                    switch (ex.Kind)
                    {
                        case ApiErrorKind.DuplicateRequest:
                            // 40050 answers a request TikTok already has: after a retry, the attempt that seemed lost arrived.
                            if (triedBefore || ex.Attempts > 1)
                            {
                                _host.Debug($"Batch {number}: TikTok already had this request (40050, request id {ex.RequestId}): an earlier attempt arrived.");
                            }
                            else
                            {
                                _host.Warning($"Batch {number}: TikTok answered its first attempt with 40050, a duplicated request (request id {ex.RequestId}); counted as delivered.");
                            }
                            Delivered(events, ex.RequestId ?? string.Empty, progress, number);
                            return null;
                        case ApiErrorKind.InvalidRequest:
                        case ApiErrorKind.PiiNotHashed:
                        case ApiErrorKind.BatchTooLarge:
                            if (ex.Kind != ApiErrorKind.BatchTooLarge && IsAboutTheRequest(ex.Message))
                            {
                                throw new DeliveryAbortedException($"TikTok rejected the request itself, not its events: {ex.Message}", ex);
                            }
                            return ex;
                        default:
                            if (!ex.IsRetryable) throw new DeliveryAbortedException(ex.Message, ex);
                            long deliveries = Interlocked.Read(ref _deliveries);
                            if (deliveries != epoch)
                            {
                                // Something got through since this batch last failed: not one outage.
                                epoch = deliveries;
                                failures = 0;
                            }
                            failures++;
                            triedBefore = true;
                            if (failures >= _options.BreakAfterFailedBatches)
                            {
                                var quiet = TimeSpan.FromTicks(DateTime.UtcNow.Ticks - Interlocked.Read(ref _lastDeliveryTicks));
                                throw new DeliveryAbortedException(
                                    $"TikTok looks unavailable: batch {number} failed {failures} times in a row after every retry, {_options.FailedBatchPause.TotalSeconds:0.#} s apart, "
                                    + $"and no batch was delivered for {quiet.TotalSeconds:0} s; the last: {ex.Message} "
                                    + "Events not acknowledged were not journaled: rerun with the same -JournalPath to send the rest.", ex) { CircuitBroken = true };
                            }
                            _host.Warning($"Batch {number} failed after {ex.Attempts} attempt(s): {ex.Message} Trying it again in {_options.FailedBatchPause.TotalSeconds:0.#} s.");
                            await Task.Delay(_options.FailedBatchPause).ConfigureAwait(false);
                            continue;
                    }
                }
            }
        }

        private void Delivered(List<PreparedEvent> events, string requestId, BatchProgress progress, int number)
        {
            JournalWriteException? unjournaled = null;
            try
            {
                _journal?.Append(requestId, events.Select(e => new JournalEntry(_options.EventSetId, e.EventName, e.EventId, e.OrderId)).ToArray());
            }
            catch (JournalWriteException ex)
            {
                unjournaled = ex;
            }
            // TikTok has these events either way: they count as delivered, journaled or not.
            progress.Delivered += events.Count;
            Interlocked.Add(ref _delivered, events.Count);
            Interlocked.Add(ref _deliveredRows, events.Sum(e => (long)e.RowCount));
            Interlocked.Exchange(ref _lastDeliveryTicks, DateTime.UtcNow.Ticks);
            Interlocked.Increment(ref _deliveries);
            foreach (var e in events) e.ReleaseFields();
            if (unjournaled != null)
            {
                throw JournalFailed(unjournaled, $"TikTok acknowledged batch {number} ({events.Count:N0} events, request id {requestId}), but {unjournaled.Message} "
                    + "The run stopped there. A rerun with this journal sends those events again; TikTok deduplicates them by event_id.");
            }
        }

        /// <summary>
        /// A batch failed validation. Events named in TikTok's message ("data.12.event_time: ...", or the retired
        /// "Batch.12..." form) are rejected with their part of it and the rest sent again; without indices the batch
        /// is halved until single events fail. When it fails the same way twice in a row (both halves, or a batch and
        /// its remainder), a few single events are tried: if every one fails that way too, the field is wrong in every
        /// event and the rest is rejected with it, rather than costing a request per event.
        /// </summary>
        private async Task IsolateAsync(int number, List<PreparedEvent> events, BatchProgress progress, TikTokApiException ex, Isolation isolation)
        {
            if (_fatal != null) return;
            var culprits = NamedCulprits(ex, events.Count);
            if (culprits.Count > 0)
            {
                foreach (var c in culprits) RejectByApi(events[c.Key], ex, string.Join("; ", c.Value), progress);
                var rest = events.Where((e, i) => !culprits.ContainsKey(i)).ToList();
                _host.Debug($"Batch {number}: TikTok named {culprits.Count} bad event(s) ({ex.Code}); sending the other {rest.Count}.");
                if (rest.Count == 0) return;
                string failure = Failure(ex);
                if (!isolation.Probed && isolation.LastNamed == failure)
                {
                    var (allFail, probed, _) = await ProbeAsync(number, rest, progress, ex, isolation).ConfigureAwait(false);
                    if (allFail) return;
                    rest = rest.Where(e => !probed.Contains(e)).ToList();
                    if (rest.Count == 0) return;
                }
                isolation.LastNamed = failure;
                await SendAsync(number, rest, progress, isolation).ConfigureAwait(false);
                return;
            }
            if (events.Count == 1)
            {
                RejectByApi(events[0], ex, ex.Message, progress);
                return;
            }
            int half = events.Count / 2;
            _host.Debug($"Batch {number}: TikTok rejected {events.Count} events without naming one ({ex.Code}); halving to find the bad ones.");
            var first = events.GetRange(0, half);
            var second = events.GetRange(half, events.Count - half);
            var firstRefused = await AttemptAsync(number, first, progress).ConfigureAwait(false);
            if (_fatal != null) return;
            var secondRefused = await AttemptAsync(number, second, progress).ConfigureAwait(false);
            if (_fatal != null) return;
            if (firstRefused != null && secondRefused != null && !isolation.Probed && Failure(firstRefused) == Failure(secondRefused))
            {
                var (allFail, probed, anyRejected) = await ProbeAsync(number, events, progress, firstRefused, isolation).ConfigureAwait(false);
                if (allFail) return;
                first = first.Where(e => !probed.Contains(e)).ToList();
                second = second.Where(e => !probed.Contains(e)).ToList();
                if (anyRejected)
                {
                    // The halves' failures may have been the probed events': try what is left again.
                    if (first.Count > 0) await SendAsync(number, first, progress, isolation).ConfigureAwait(false);
                    if (second.Count > 0) await SendAsync(number, second, progress, isolation).ConfigureAwait(false);
                    return;
                }
            }
            // A half whose probed events were all good still holds the events that made it fail.
            if (firstRefused != null && first.Count > 0) await IsolateAsync(number, first, progress, firstRefused, isolation).ConfigureAwait(false);
            if (secondRefused != null && second.Count > 0) await IsolateAsync(number, second, progress, secondRefused, isolation).ConfigureAwait(false);
        }

        /// <summary>
        /// Sends up to <see cref="Probes"/> events, spread over the list, one per request (once per batch). Returns
        /// whether all failed as <paramref name="ex"/> did, in which case every other event of the list is rejected
        /// with that failure; the events probed (delivered or rejected); and whether any probe was rejected.
        /// </summary>
        private async Task<(bool AllFail, HashSet<PreparedEvent> Probed, bool AnyRejected)> ProbeAsync(
            int number, List<PreparedEvent> events, BatchProgress progress, TikTokApiException ex, Isolation isolation)
        {
            isolation.Probed = true;
            string failure = Failure(ex);
            int count = Math.Min(Probes, events.Count);
            var probed = new HashSet<PreparedEvent>();
            bool anyRejected = false;
            _host.Debug($"Batch {number}: {events.Count} events failed the same way twice ({ex.Code}); trying {count} of them one by one.");
            for (int k = 0; k < count; k++)
            {
                var e = events[(int)((long)k * events.Count / count)];
                probed.Add(e);
                var refused = await AttemptAsync(number, new List<PreparedEvent> { e }, progress).ConfigureAwait(false);
                if (refused == null || _fatal != null) return (false, probed, anyRejected);
                RejectByApi(e, refused, refused.Message, progress);
                anyRejected = true;
                if (Failure(refused) != failure) return (false, probed, anyRejected);
            }
            var rest = events.Where(e => !probed.Contains(e)).ToList();
            foreach (var e in rest)
            {
                RejectByApi(e, ex, $"{ex.Message} (not sent alone: each of the {count} events of this batch that were sent alone failed the same way)", progress);
            }
            _host.Debug($"Batch {number}: every event tried alone failed the same way; the other {rest.Count} were rejected with it.");
            return (true, probed, anyRejected);
        }

        /// <summary>The events TikTok's message names, by index into <paramref name="count"/> events, with their parts of it.</summary>
        private static SortedDictionary<int, List<string>> NamedCulprits(TikTokApiException ex, int count)
        {
            var culprits = new SortedDictionary<int, List<string>>();
            string[] parts = ex.Message.Split(new[] { "; " }, StringSplitOptions.RemoveEmptyEntries);
            foreach (string part in parts)
            {
                foreach (Match m in BatchIndex.Matches(part))
                {
                    if (!int.TryParse(m.Groups[1].Value, out int i) || i >= count) continue;
                    if (!culprits.TryGetValue(i, out var messages)) culprits[i] = messages = new List<string>();
                    string text = part.Substring(part.IndexOf(m.Value, StringComparison.Ordinal)).Trim();
                    int cut = text.IndexOf(" (request id", StringComparison.Ordinal);
                    messages.Add(cut > 0 ? text.Substring(0, cut) : text);
                }
            }
            return culprits;
        }

        /// <summary>How a request failed, without what differs between events (indices, values): its code and the distinct
        /// parts of TikTok's message with every number blanked.</summary>
        private static string Failure(TikTokApiException ex)
        {
            string message = ex.ApiMessage.Length > 0 ? ex.ApiMessage : ex.Message;
            var parts = message.Split(new[] { "; " }, StringSplitOptions.RemoveEmptyEntries).Select(p => Digits.Replace(p.Trim(), "#")).Distinct().OrderBy(p => p, StringComparer.Ordinal);
            return ex.Code.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + string.Join("; ", parts);
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
            };
            // Only a registered partner name may be sent (TikTok answers others with 40063); test_event_code goes in each event.
            if (!string.IsNullOrEmpty(options.PartnerName)) prefix["partner_name"] = options.PartnerName;
            string json = System.Text.Json.JsonSerializer.Serialize(prefix);
            return Encoding.UTF8.GetBytes(json.Substring(0, json.Length - 1) + ",\"data\":[");
        }
    }
}
