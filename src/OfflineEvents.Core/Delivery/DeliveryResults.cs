using System;
using System.Collections.Generic;
using System.Linq;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>A row that was not sent, and why. Carries no plaintext PII: PII columns are hashed or masked.</summary>
    public sealed class RejectedEvent
    {
        internal RejectedEvent(string? source, long row, long line, IReadOnlyList<string> ruleIds, string column, string reason,
            EventShape shape, IReadOnlyList<string?> safeFields, int? apiCode)
        {
            Source = source;
            Row = row;
            Line = line;
            RuleIds = ruleIds;
            Column = column;
            Reason = reason;
            Shape = shape;
            SafeFields = safeFields;
            ApiCode = apiCode;
        }

        /// <summary>
        /// A rejected row as hosts see it: every rule it broke, every reason, and its values with PII hashed or masked:
        /// only the columns the module reads unless the rules ask for all (-RejectColumn All).
        /// </summary>
        internal static RejectedEvent Of(PreparedEvent row, IReadOnlyList<Rules.RowIssue> errors, Rules.RowRuleOptions rules, int? apiCode)
        {
            var fields = row.InputFields();
            var safe = row.Shape.SafeFields(fields, rules.Pii, row.Email, row.Phone, allColumns: rules.RejectColumns == RejectColumns.All);
            return new RejectedEvent(row.Source as string, row.Row, row.Line, errors.Select(e => e.RuleId).Distinct().ToArray(), errors[0].Column,
                string.Join("; ", errors.Select(e => e.Message)), row.Shape, safe, apiCode);
        }

        /// <summary>The file the row came from; null for pipeline input.</summary>
        public string? Source { get; }

        /// <summary>The row number: the n-th data row of the file, or the n-th object of the pipeline.</summary>
        public long Row { get; }

        /// <summary>The file line the row starts on (0 for pipeline input).</summary>
        public long Line { get; }

        /// <summary>The first rule the row broke.</summary>
        public string RuleId => RuleIds[0];

        public IReadOnlyList<string> RuleIds { get; }

        /// <summary>The column of the first problem.</summary>
        public string Column { get; }

        /// <summary>Every problem of the row, masked.</summary>
        public string Reason { get; }

        /// <summary>TikTok's code when TikTok rejected the event (40002...); null when our rules did.</summary>
        public int? ApiCode { get; }

        /// <summary>The input's column names; <see cref="SafeFields"/> follows them.</summary>
        public IReadOnlyList<string> Headers => Shape.Headers;

        /// <summary>
        /// The row's values, in <see cref="Headers"/> order, with PII hashed (or masked when invalid). Columns the module
        /// does not read (names, notes) are null unless -RejectColumn All.
        /// </summary>
        public IReadOnlyList<string?> SafeFields { get; }

        /// <summary>The shape of the row's input: which of its columns the module reads.</summary>
        internal EventShape Shape { get; }

        public override string ToString() => $"{(Source == null ? string.Empty : Source + ": ")}row {Row}: {Reason}";
    }

    /// <summary>What happened to one batch (Send-OfflineEvent -PassThru).</summary>
    public sealed class BatchResult
    {
        internal BatchResult(int number, long firstRow, long lastRow, int events, int delivered, int rejected, int requests, int attempts,
            IReadOnlyList<string> requestIds, TimeSpan duration, bool sent, string? note)
        {
            Number = number;
            FirstRow = firstRow;
            LastRow = lastRow;
            Events = events;
            Delivered = delivered;
            Rejected = rejected;
            Requests = requests;
            Attempts = attempts;
            RequestIds = requestIds;
            Duration = duration;
            Sent = sent;
            Note = note;
        }

        public int Number { get; }
        public long FirstRow { get; }
        public long LastRow { get; }
        public int Events { get; }
        /// <summary>Events TikTok acknowledged.</summary>
        public int Delivered { get; }
        /// <summary>Events TikTok rejected (found by splitting the batch).</summary>
        public int Rejected { get; }
        /// <summary>Requests made for this batch (more than one when it was split).</summary>
        public int Requests { get; }
        /// <summary>HTTP attempts, retries included.</summary>
        public int Attempts { get; }
        public IReadOnlyList<string> RequestIds { get; }
        public TimeSpan Duration { get; }
        /// <summary>False under -WhatIf (or when -Confirm was declined): nothing was sent.</summary>
        public bool Sent { get; }
        /// <summary>What TikTok said beyond success (a partial success, 20001).</summary>
        public string? Note { get; }
    }

    /// <summary>
    /// The outcome of a Send-OfflineEvent run. Rows and events are counted apart (an order's lines are one event): rows add up
    /// as Read = DeliveredRows + Skipped + Rejected + NotSentRows + Unidentified; Delivered and NotSent count events.
    /// </summary>
    public sealed class DeliverySummary
    {
        internal DeliverySummary(string eventSetId, long read, long delivered, long rejected, long rejectedByApi, long skipped, long notSent,
            long duplicatesInInput, int batches, long requests, long retries, IReadOnlyList<string> requestIds, TimeSpan duration, bool whatIf, bool stopped,
            IReadOnlyDictionary<string, long> rejectsByRule, IReadOnlyDictionary<string, long> warningsByRule, string? journalPath, string? rejectPath, string? testEventCode)
        {
            EventSetId = eventSetId;
            Read = read;
            Delivered = delivered;
            Rejected = rejected;
            RejectedByApi = rejectedByApi;
            Skipped = skipped;
            NotSent = notSent;
            DuplicatesInInput = duplicatesInInput;
            Batches = batches;
            Requests = requests;
            Retries = retries;
            RequestIds = requestIds;
            Duration = duration;
            WhatIf = whatIf;
            Stopped = stopped;
            RejectsByRule = rejectsByRule;
            WarningsByRule = warningsByRule;
            JournalPath = journalPath;
            RejectPath = rejectPath;
            TestEventCode = testEventCode;
        }

        public string EventSetId { get; }
        /// <summary>Rows of the events TikTok acknowledged (an order's lines; one per event when rows are not grouped).</summary>
        public long DeliveredRows { get; internal set; }
        /// <summary>Rows of the events not delivered (see <see cref="NotSent"/>).</summary>
        public long NotSentRows { get; internal set; }
        /// <summary>Rows with neither email nor phone (on none of their order's lines): not sent, as TikTok cannot match them,
        /// and not rejects (-MaxRejectPercent leaves them out).</summary>
        public long Unidentified { get; internal set; }
        /// <summary>Events built from the rows (orders and rows sent alone), less those rejected.</summary>
        public long Events { get; internal set; }
        /// <summary>Rows in those events: RowsInEvents - Events lines were merged into their order's event.</summary>
        public long RowsInEvents { get; internal set; }
        /// <summary>Events with a valid email, a valid phone, both, neither (neither: not sent, their rows are Unidentified).</summary>
        public Rules.IdentityCoverage Coverage { get; internal set; } = new Rules.IdentityCoverage();
        /// <summary>Lines sent as events of their own because their order had been sent already (OrderNotGrouped).</summary>
        public long NotGrouped { get; internal set; }
        /// <summary>Rows read (files and pipeline).</summary>
        public long Read { get; }
        /// <summary>Events TikTok acknowledged in this run.</summary>
        public long Delivered { get; }
        /// <summary>Rows not sent because a rule or TikTok rejected them (see -RejectPath).</summary>
        public long Rejected { get; }
        /// <summary>Of <see cref="Rejected"/>, those TikTok rejected.</summary>
        public long RejectedByApi { get; }
        /// <summary>Events not sent because the journal says an earlier run delivered them, or because they repeat an event
        /// earlier in this run's input (see <see cref="DuplicatesInInput"/>): Delivered counts distinct events.</summary>
        public long Skipped { get; }
        /// <summary>Valid events not delivered: -WhatIf, a declined -Confirm, a stop, an outage, or a batch TikTok answered
        /// with 20001 (partial success). A rerun sends them.</summary>
        public long NotSent { get; }
        /// <summary>Of <see cref="Skipped"/>, rows that repeat an event (same event and event_id) earlier in the same run's
        /// input, journal or not: each is sent once.</summary>
        public long DuplicatesInInput { get; }
        public int Batches { get; }
        /// <summary>Requests made to event/track (a split batch makes several).</summary>
        public long Requests { get; }
        /// <summary>Attempts beyond the first, over all requests.</summary>
        public long Retries { get; }
        public IReadOnlyList<string> RequestIds { get; }
        public TimeSpan Duration { get; }
        public double EventsPerSecond => Duration.TotalSeconds > 0 ? Delivered / Duration.TotalSeconds : 0;
        public bool WhatIf { get; }
        /// <summary>The run was stopped (Ctrl+C) after the batches in flight.</summary>
        public bool Stopped { get; }
        /// <summary>Rejected rows per 100 rows that could have been sent (not skipped, not unidentified).</summary>
        public double RejectedPercent => Read - Skipped - Unidentified > 0 ? 100.0 * Rejected / (Read - Skipped - Unidentified) : 0;
        public IReadOnlyDictionary<string, long> RejectsByRule { get; }
        public IReadOnlyDictionary<string, long> WarningsByRule { get; }
        public string? JournalPath { get; }
        /// <summary>The reject file; null when no row was rejected, as none is written then.</summary>
        public string? RejectPath { get; }
        public string? TestEventCode { get; }

        public override string ToString() =>
            $"{Read:N0} rows in {Events:N0} events; {Delivered:N0} delivered, {Skipped:N0} skipped (journal or repeated in the input: {DuplicatesInInput:N0}), {Rejected:N0} rejected, {Unidentified:N0} unidentified, {NotSent:N0} not sent; {Batches:N0} batches, {Requests:N0} requests, {Retries:N0} retries in {Duration.TotalSeconds:0.0} s"
            + (RejectsByRule.Count > 0 ? "; rejects: " + string.Join(", ", RejectsByRule.Select(r => $"{r.Key} {r.Value:N0}")) : string.Empty);
    }

    /// <summary>Where a run is, for Write-Progress.</summary>
    public readonly struct DeliveryProgress
    {
        public DeliveryProgress(long read, long delivered, long rejected, long skipped, long bytesRead, long totalBytes, TimeSpan elapsed, string? source)
        {
            Read = read;
            Delivered = delivered;
            Rejected = rejected;
            Skipped = skipped;
            BytesRead = bytesRead;
            TotalBytes = totalBytes;
            Elapsed = elapsed;
            Source = source;
        }

        public long Read { get; }
        public long Delivered { get; }
        public long Rejected { get; }
        public long Skipped { get; }
        public long BytesRead { get; }
        /// <summary>Bytes of all input files; 0 when unknown (pipeline input).</summary>
        public long TotalBytes { get; }
        public TimeSpan Elapsed { get; }
        public string? Source { get; }
    }

    /// <summary>
    /// What the row engines (delivery, export) need from their host (a cmdlet): they report from worker
    /// threads, and the host writes from its own thread.
    /// </summary>
    public interface IRowHost : Diagnostics.IOperationLog
    {
        void Rejected(RejectedEvent rejected);

        void Progress(DeliveryProgress progress);

        /// <summary>Blocks the feeding thread until the task ends; a host may do its own work meanwhile.</summary>
        void Wait(System.Threading.Tasks.Task task);
    }

    /// <summary>What the delivery engine needs besides: ShouldProcess per batch, and batch results.</summary>
    public interface IDeliveryHost : IRowHost
    {
        /// <summary>Whether to send this batch (ShouldProcess). Asked on the feeding thread, in batch order; a task so that
        /// the batch's sender awaits it without holding a thread-pool thread (PowerShell's host answers at once, on that thread).</summary>
        System.Threading.Tasks.Task<bool> ApproveAsync(int batch, int events, long firstRow, long lastRow);

        void BatchCompleted(BatchResult result);
    }

    /// <summary>Where a reader puts rows: the delivery engine or the exporter.</summary>
    public interface IRowSink
    {
        /// <summary>Whether the run is ending: stop feeding.</summary>
        bool IsStopping { get; }

        /// <summary>The row rules (a default event type makes the event_type column optional).</summary>
        Rules.RowRuleOptions Rules { get; }

        /// <summary>Adds one row; false once the run is ending.</summary>
        bool Add(EventShape shape, long row, long line, string?[] fields, string? source);

        /// <summary>Rejects a row the reader could not take apart.</summary>
        void Reject(EventShape shape, long row, long line, string?[] fields, string? source, string ruleId, string column, string message);

        /// <summary>Progress of the file being read, in bytes.</summary>
        void SetPosition(string? source, long bytesRead, long totalBytes);
    }
}
