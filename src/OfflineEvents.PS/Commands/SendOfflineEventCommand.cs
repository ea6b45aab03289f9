using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using OfflineEvents.Core.Api;
using OfflineEvents.Core.Delivery;
using OfflineEvents.Core.EventSets;
using OfflineEvents.Core.Rules;
using OfflineEvents.PS.Infrastructure;

namespace OfflineEvents.PS.Commands
{
    /// <summary>
    /// Send-OfflineEvent: delivers offline conversions to an event set through the Events API 2.0, from
    /// pipeline objects or straight from CSV files, with validation, hashing, batching, retries, a journal
    /// and a reject file. The work is done by the core's <see cref="EventDelivery"/>; this class binds
    /// parameters, turns objects into rows and writes what the engine reports.
    /// </summary>
    [Cmdlet(VerbsCommunications.Send, "OfflineEvent", DefaultParameterSetName = ObjectSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(DeliverySummary), typeof(BatchResult))]
    public sealed class SendOfflineEventCommand : ApiCmdletBase
    {
        private const string ObjectSet = "InputObject";
        private const string PathSet = "Path";
        private const string LiteralSet = "LiteralPath";
        private const int ProgressId = 0x0EF6;

        private EventDelivery? _delivery;
        private DeliveryJournal? _journal;
        private RejectFileWriter? _rejects;
        private DeliveryOptions _options = null!;
        private int _pipelineThread;
        private bool _completed;
        private volatile bool _stopped;
        private bool _warningsSilenced;
        private string _activity = string.Empty;
        private ObjectRows _rows = null!;
        private FileFeeder _files = null!;

        /// <summary>A row: an Import-Csv object, a custom object, a hashtable, or a file (Get-ChildItem).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
        public PSObject? InputObject { get; set; }

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralSet)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[]? LiteralPath { get; set; }

        /// <summary>The offline event set (Get-OfflineEventSet shows the ids).</summary>
        [Parameter(Mandatory = true)]
        [ArgumentCompleter(typeof(EventSetCompleter))]
        [ValidatePattern(@"^\d{1,32}$")]
        public string EventSetId { get; set; } = string.Empty;

        [Parameter]
        [ArgumentCompleter(typeof(RegionCompleter))]
        [ValidateNotNullOrEmpty]
        public string? DefaultRegion { get; set; }

        /// <summary>The event of rows with no event_type (an export of one kind of event, e.g. call-center contacts).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(EventTypeCompleter))]
        [ValidateNotNullOrEmpty]
        public string? DefaultEventType { get; set; }

        /// <summary>The currency of rows with a price but no currency.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(CurrencyCompleter))]
        [ValidateNotNullOrEmpty]
        public string? DefaultCurrency { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(TimeZoneCompleter))]
        [ValidateNotNullOrEmpty]
        public string? TimeZone { get; set; }

        /// <summary>The .NET formats of timestamps that are neither ISO-8601 nor epoch values ('M/d/yyyy h:mm tt'), tried in order; for a date and a time column, of the two joined by a space.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? TimestampFormat { get; set; }

        /// <summary>The culture -TimestampFormat is read in (month names, AM/PM), such as en-US or de-DE; alone, its own short and long date-and-time patterns. Default: invariant.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Culture { get; set; }

        [Parameter]
        [ValidateRange(1, DeliveryOptions.MaxBatchSizeAllowed)]
        public int BatchSize { get; set; } = DeliveryOptions.MaxBatchSizeAllowed;

        /// <summary>Batches sent at the same time.</summary>
        [Parameter]
        [ValidateRange(1, 16)]
        public int ThrottleLimit { get; set; } = 4;

        /// <summary>A cap on requests per second (0: none).</summary>
        [Parameter]
        [ValidateRange(0.0, 1000.0)]
        public double MaxRequestsPerSecond { get; set; } = 50;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? JournalPath { get; set; }

        /// <summary>How long to wait for another run that holds the journal before failing with JournalBusy.</summary>
        [Parameter]
        [ValidateRange(0.0, 86400.0)]
        public double JournalWaitSec { get; set; } = 30;

        /// <summary>Prunes journal records older than this many days; older events are refused instead of resent. Default: keep everything.</summary>
        [Parameter]
        [ValidateRange(28, 36500)]
        public int JournalRetentionDays { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? RejectPath { get; set; }

        /// <summary>Which input columns the reject file carries: Read (the columns the module reads, the default) or All (every column; unread ones in plaintext).</summary>
        // A string, not the core's enum: PowerShell reads parameter types before the module's resolver can load the core.
        [Parameter]
        [ValidateSet(RejectColumnArgument.Read, RejectColumnArgument.All, IgnoreCase = true)]
        public string RejectColumn { get; set; } = RejectColumnArgument.Read;

        /// <summary>Order (the default): rows with the same order_id, store and event become one event, a contents entry per line. None: every row is an event.</summary>
        [Parameter]
        [ValidateSet(OrderArguments.Order, OrderArguments.None, IgnoreCase = true)]
        public string GroupBy { get; set; } = OrderArguments.Order;

        /// <summary>RowTotal (the default, TikTok's template): price is the row's total. UnitPrice: price is per item, the row's total is price x quantity.</summary>
        [Parameter]
        [ValidateSet(OrderArguments.RowTotal, OrderArguments.UnitPrice, IgnoreCase = true)]
        public string PriceIs { get; set; } = OrderArguments.RowTotal;

        /// <summary>The encoding of the files read (-Path, -LiteralPath, piped files): a file Excel or a POS system saved as windows-1252, latin1 or unicode. Default: UTF-8, and a file that is not UTF-8 is refused.</summary>
        [Parameter]
        [EncodingArgument]
        public System.Text.Encoding? Encoding { get; set; }

        /// <summary>The field separator of the files read: ';' for the CSV files Excel saves in most of Europe. Default: ','.</summary>
        [Parameter]
        public char Delimiter { get; set; } = ',';

        /// <summary>Which source columns feed which field: @{ timestamp = 'Created at'; phone = 'Phone', 'Mobile'; event_type = $null }. A mapped field takes only the columns named ($null: none); the others are still found by name.</summary>
        [Parameter]
        [ValidateNotNull]
        public System.Collections.IDictionary? ColumnMap { get; set; }

        /// <summary>The export's own event values to TikTok events: @{ Payment = 'Complete Payment'; Refund = $null }. $null skips the row (counted as Skipped).</summary>
        [Parameter]
        [ValidateNotNull]
        public System.Collections.IDictionary? EventTypeMap { get; set; }

        /// <summary>Fails the run (a terminating error, after sending) when more than this percentage of rows is rejected.</summary>
        [Parameter]
        [ValidateRange(0.0, 100.0)]
        public double MaxRejectPercent { get; set; } = 100;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? TestEventCode { get; set; }

        [Parameter]
        public SwitchParameter LimitedDataUse { get; set; }

        /// <summary>The request's partner_name: only a name TikTok registered for an integration (others get 40063). Not sent when not given.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? PartnerName { get; set; }

        /// <summary>Also writes one result per batch.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>How long a batch whose retries all failed waits before it is tried again (the circuit opens when one batch has failed three times in a row with nothing delivered meanwhile).</summary>
        [Parameter]
        [ValidateRange(0.0, 3600.0)]
        public double FailedBatchPauseSec { get; set; } = 10;

        protected override void BeginProcessing()
        {
            _pipelineThread = Environment.CurrentManagedThreadId;
            bool whatIf = CommonPreference.WhatIf(this);
            _warningsSilenced = CommonPreference.WarningsSilenced(this);
            var rules = RowRulesArgument.Create(this, DefaultRegion, TimeZone, DefaultEventType, DefaultCurrency, RejectPath, RejectColumn, ColumnMap, EventTypeMap, TimestampFormat, Culture);
            rules.PriceIs = OrderArguments.ParsePriceIs(PriceIs);
            _rows = new ObjectRows(this, rules);
            var outputs = new OutputGuard();
            string? rejectPath = RejectPath == null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(RejectPath);
            if (rejectPath != null)
            {
                OutputGuard.RefuseDirectory(this, rejectPath, "-RejectPath");
                outputs.Add("-RejectPath", rejectPath);
            }
            _files = new FileFeeder(this, ErrorIds.SendFileRefused, outputs, FileFormatArgument.Create(this, Encoding, Delimiter));
            _options = new DeliveryOptions(EventSetId, rules)
            {
                BatchSize = BatchSize,
                MaxBatchesInFlight = ThrottleLimit,
                MaxRequestsPerSecond = MaxRequestsPerSecond,
                TestEventCode = TestEventCode,
                LimitedDataUse = LimitedDataUse,
                PartnerName = PartnerName,
                FailedBatchPause = TimeSpan.FromSeconds(FailedBatchPauseSec),
                RejectPath = whatIf ? null : rejectPath,
                JournalRetentionDays = MyInvocation.BoundParameters.ContainsKey(nameof(JournalRetentionDays)) ? JournalRetentionDays : (int?)null,
                GroupBy = OrderArguments.ParseGroupBy(GroupBy),
            };
            SetSeenEventsInMemory();
            if (whatIf) CheckEventSetExists();
            // -WhatIf sends nothing: the engine gets no client.
            var client = whatIf ? null : Client;
            if (JournalPath != null)
            {
                string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(JournalPath);
                if (!whatIf || File.Exists(path))
                {
                    try
                    {
                        // -WhatIf changes no state: the journal is read only, neither upgraded nor pruned.
                        var wait = TimeSpan.FromSeconds(JournalWaitSec);
                        _journal = whatIf ? DeliveryJournal.OpenPreview(path, wait) : DeliveryJournal.Open(path, wait, _options.JournalRetentionDays);
                        if (!whatIf) _journal.BeginRun(EventSetId);
                    }
                    catch (JournalBusyException ex)
                    {
                        _journal?.Dispose();
                        _journal = null;
                        ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.SendJournalBusy, ErrorCategory.ResourceBusy, path));
                    }
                    catch (JournalWriteException ex)
                    {
                        _journal?.Dispose();
                        _journal = null;
                        ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.SendJournalWriteFailed, ErrorCategory.WriteError, path));
                    }
                    catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is InvalidDataException)
                    {
                        ThrowTerminatingError(new ErrorRecord(
                            new IOException($"The journal '{path}' cannot be used: {ex.Message}", ex),
                            ErrorIds.SendJournalUnavailable, ex is InvalidDataException ? ErrorCategory.InvalidData : ErrorCategory.ResourceUnavailable, path));
                    }
                    WriteVerbose($"Journal {_journal!.Path} (SQLite {_journal.SqliteVersion}): {_journal.LoadedCount:N0} events delivered by earlier runs"
                        + (_journal.PrunedCount > 0 ? $"; {_journal.PrunedCount:N0} older than {JournalRetentionDays} days pruned." : "."));
                }
            }
            if (RejectPath != null && !whatIf)
            {
                _rejects = new RejectFileWriter(_options.RejectPath!, rules.RejectColumns);
                try
                {
                    _rejects.Open(); // a folder that takes no file is found now, not after sending
                }
                catch (OutputWriteException ex)
                {
                    RejectFileFailed(ex);
                }
            }
            _activity = $"Sending offline events to event set {EventSetId}";
            var host = new DeliveryHost(this, Log, StopToken, _pipelineThread, Approve, OnRejected, OnBatch, OnProgress);
            _delivery = new EventDelivery(client, _options, host, _journal);
        }

        /// <summary>
        /// OFFLINEEVENTS_SEEN_EVENTS_IN_MEMORY: how many distinct events the check for repeats keeps in memory before it
        /// spills to temporary files (default 250,000). For a machine short of memory, or a test of the spilling.
        /// </summary>
        private void SetSeenEventsInMemory()
        {
            const string name = "OFFLINEEVENTS_SEEN_EVENTS_IN_MEMORY";
            string? value = Environment.GetEnvironmentVariable(name);
            if (string.IsNullOrWhiteSpace(value)) return;
            if (int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int events) && events >= 1)
            {
                _options.SeenEventsInMemory = events;
                WriteVerbose($"{name}: the check for repeated events keeps {events:N0} events in memory before it spills to temporary files.");
            }
            else
            {
                WriteWarning($"{name} is '{value}', not a whole number of events above 0: the default, {_options.SeenEventsInMemory:N0}, is used.");
            }
        }

        /// <summary>
        /// -WhatIf's one read call: what it says it would send must be sendable. Without any connection it only warns,
        /// so files can still be dry-run offline.
        /// </summary>
        private void CheckEventSetExists()
        {
            if (!HasConnection)
            {
                WriteWarning($"Not connected: -WhatIf did not check that event set {EventSetId} exists.");
                return;
            }
            IReadOnlyList<OfflineEventSet> found;
            try
            {
                found = Run(ct => new EventSetClient(Client).GetAsync(new[] { EventSetId }, null, ct));
            }
            catch (TikTokApiException ex)
            {
                ThrowTerminatingError(NewErrorRecord(ex, EventSetId, out _));
                return;
            }
            if (!found.Any(set => set.EventSetId == EventSetId)) ThrowTerminatingError(EventSetNotFound(null));
            WriteVerbose($"Event set {EventSetId} exists.");
        }

        /// <summary>The error Get-, Set- and Remove-OfflineEventSet give for a missing event set, with Send's target.</summary>
        private ErrorRecord EventSetNotFound(Exception? cause) => new ErrorRecord(
            new ItemNotFoundException($"No offline event set with id {EventSetId} exists for advertiser {Client.Connection.AdvertiserId}.", cause),
            ErrorIds.EventSetNotFound, ErrorCategory.ObjectNotFound, EventSetId);

        /// <summary>
        /// After TikTok refused a request as a whole (40002 on event_source_id, as it answers for a set that does not
        /// exist): one read call says whether the set is missing. False when it exists or the call fails.
        /// </summary>
        private bool EventSetMissing(DeliveryAbortedException ex)
        {
            if (ex.JournalError != null || ex.CircuitBroken || ex.ApiError.Kind != ApiErrorKind.InvalidRequest) return false;
            try
            {
                return !Run(ct => new EventSetClient(Client).GetAsync(new[] { EventSetId }, null, ct)).Any(set => set.EventSetId == EventSetId);
            }
            catch (TikTokApiException)
            {
                return false;
            }
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ObjectSet)
            {
                var input = InputObject!;
                if (input.BaseObject is FileInfo file)
                {
                    SendFiles(new[] { file.FullName });
                }
                else
                {
                    FeedObject(input);
                }
                Log.Drain(this);
                return;
            }
            SendFiles(FilePaths.Resolve(this, ParameterSetName == LiteralSet ? LiteralPath : Path, ParameterSetName == LiteralSet));
        }

        private void FeedObject(PSObject input)
        {
            _rows.ReadInto(input, _delivery!);
        }

        private void SendFiles(IReadOnlyList<string> files) => _files.Feed(files, _delivery!);

        protected override void EndProcessing()
        {
            DeliverySummary summary;
            try
            {
                summary = _delivery!.Complete();
            }
            catch (DeliveryAbortedException ex)
            {
                Finish(finished: false);
                var partial = _delivery!.Summary();
                WriteObject(partial);
                var (id, category, _) = ex.JournalError != null ? (ErrorIds.SendJournalWriteFailed, ErrorCategory.WriteError, true)
                    : ex.TemporaryFileError != null ? (ErrorIds.SendTemporaryFileFailed, ErrorCategory.ReadError, true)
                    : ex.CircuitBroken ? (ErrorIds.SendCircuitOpen, ErrorCategory.ResourceUnavailable, true) : Classify(ex.ApiError.Kind);
                var record = new ErrorRecord(ex, id, category, ex.JournalError != null ? ex.JournalError.Path : ex.TemporaryFileError != null ? ex.TemporaryFileError.Folder : (object)EventSetId);
                if (ex.ApiError.Kind == ApiErrorKind.Authentication) record = NewErrorRecord(ex.ApiError, EventSetId, out _);
                bool missing = EventSetMissing(ex);
                if (missing) record = EventSetNotFound(ex);
                record.ErrorDetails = new ErrorDetails((missing ? record.Exception.Message : ex.Message) + $" Delivered so far: {partial.Delivered:N0}; not sent: {partial.NotSent:N0}.")
                {
                    RecommendedAction = JournalPath != null
                        ? "Fix the cause and run the same command again: the journal skips what was delivered."
                        : "Fix the cause and run again; use -JournalPath so a rerun sends only what is missing (TikTok deduplicates by event_id in any case).",
                };
                ThrowTerminatingError(record);
                return;
            }
            // A stopped run (Ctrl+C while the last batches were sent) has not finished either: PowerShell usually ends it
            // at the next write, but the reject file must not depend on that.
            Finish(finished: !summary.Stopped);
            WriteVerbose("Send-OfflineEvent: " + summary);
            WriteObject(summary);
            if (summary.RejectedPercent > MaxRejectPercent)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new InvalidDataException($"{summary.Rejected:N0} of {summary.Read - summary.Skipped - summary.Unidentified:N0} rows ({summary.RejectedPercent:0.##} %) were rejected, over -MaxRejectPercent {MaxRejectPercent}." + (_rejects != null ? $" They are in {_rejects.Path}." : string.Empty)),
                    ErrorIds.SendTooManyRejects, ErrorCategory.InvalidData, summary));
            }
        }

        /// <summary>Reports per-rule warnings once each, commits the reject file of a finished run, clears progress.</summary>
        private void Finish(bool finished)
        {
            _completed = true;
            Log.Drain(this);
            WarnUnreportedRejects(finished);
            foreach (var (rule, count, where, message) in _delivery!.WarningExamples())
            {
                WriteWarning($"{rule}: {count:N0} row(s) sent with a warning; the first, {where}: {message}");
            }
            if (_rejects != null && !finished)
            {
                // Its rejects are not all known, and the reject file may be what the run reads (Import-Csv rejects.csv | ...).
                WriteWarning($"The reject file '{_rejects.Path}' was left as it was: the run did not finish, so its {_rejects.Count:N0} rejects so far are not written there (a rerun writes the file).");
            }
            else if (_rejects != null)
            {
                try
                {
                    _rejects.Commit();
                    if (_rejects.Count > 0) WriteVerbose($"{_rejects.Count:N0} rejected rows written to {_rejects.Path}.");
                }
                catch (OutputWriteException ex)
                {
                    RejectFileFailed(ex);
                }
            }
            WriteProgress(new ProgressRecord(ProgressId, _activity, "Done") { RecordType = ProgressRecordType.Completed });
        }

        private bool Approve(int batch, int events, long firstRow, long lastRow) =>
            ShouldProcess($"event set {EventSetId}", $"Send batch {batch}: {events:N0} events (rows {firstRow:N0} to {lastRow:N0})");

        private void OnRejected(RejectedEvent rejected)
        {
            try
            {
                _rejects?.Write(rejected);
            }
            catch (OutputWriteException ex)
            {
                RejectFileFailed(ex);
            }
            if (rejected.Reported) WriteError(RejectRecords.Create(rejected, ErrorIds.SendRejectedPrefix, "was not sent"));
        }

        /// <summary>
        /// One warning per rule whose rejects went past the error records a run writes for it: how many more rows broke
        /// it, and where they all are. Not under -ErrorAction Ignore, which asked for no error record at all.
        /// </summary>
        private void WarnUnreportedRejects(bool finished)
        {
            if (CommonPreference.ErrorsIgnored(this)) return;
            int cap = _options.RejectsReportedPerRule;
            foreach (var rule in _delivery!.Summary().RejectsByRule.Where(r => r.Value > cap).OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                string where = _rejects != null && finished ? $"the reject file '{_rejects.Path}' holds all {rule.Value:N0}"
                    : _rejects != null ? $"the run did not finish, so the reject file '{_rejects.Path}' was left as it was: a rerun writes them all"
                    : RejectPath != null && CommonPreference.WhatIf(this) ? "-WhatIf writes no reject file: without it, -RejectPath keeps them all"
                    : RejectPath != null ? "the reject file could not be written (OfflineEvents.Send.RejectFileFailed)"
                    : "-RejectPath keeps every rejected row, with its file, line and reason";
                WriteWarning($"{rule.Key}: {rule.Value - cap:N0} more rejected row(s) broke this rule after the first {cap:N0}, which were written as errors "
                    + $"({rule.Value:N0} in all; the summary's RejectsByRule counts them); {where}.");
            }
        }

        /// <summary>The reject file cannot be written: a non-terminating error, and the run goes on without it (the first rejects of each rule are still errors; the rest are counted).</summary>
        private void RejectFileFailed(OutputWriteException ex)
        {
            _rejects?.Dispose();
            _rejects = null;
            _options.RejectPath = null;
            WriteError(RejectRecords.FileFailed(ex, ErrorIds.SendRejectFileFailed, "run"));
        }

        private void OnBatch(BatchResult result)
        {
            if (result.Sent)
            {
                WriteVerbose($"Batch {result.Number}: {result.Delivered:N0} of {result.Events:N0} delivered" + (result.Rejected > 0 ? $", {result.Rejected:N0} rejected by TikTok" : string.Empty)
                    + $" in {result.Duration.TotalSeconds:0.00} s, {result.Attempts} attempt(s); request id {string.Join(", ", result.RequestIds)}.");
            }
            if (PassThru) WriteObject(result);
        }

        private long _lastProgress = -1;

        private void OnProgress(DeliveryProgress p)
        {
            double seconds = p.Elapsed.TotalSeconds;
            double rate = seconds > 0 ? p.Read / seconds : 0;
            string status = $"{p.Read:N0} read, {p.Delivered:N0} delivered, {p.Rejected:N0} rejected, {p.Skipped:N0} skipped ({rate:N0} rows/s)";
            var record = new ProgressRecord(ProgressId, _activity, status);
            if (p.TotalBytes > 0)
            {
                record.PercentComplete = (int)Math.Min(100, p.BytesRead * 100 / p.TotalBytes);
                if (p.BytesRead > 0 && seconds > 1) record.SecondsRemaining = (int)((p.TotalBytes - p.BytesRead) * (seconds / p.BytesRead));
                if (p.Source != null) record.CurrentOperation = p.Source;
            }
            if (p.Read == _lastProgress) return;
            _lastProgress = p.Read;
            WriteProgress(record);
        }

        protected override void StopProcessing()
        {
            _stopped = true;
            _delivery?.Stop();
            base.StopProcessing();
        }

        /// <summary>
        /// After Ctrl+C, what was delivered and how to resume. Through the host: once a pipeline is stopping,
        /// PowerShell refuses every Write* call, so this cannot go to the warning stream (-WarningAction
        /// SilentlyContinue or Ignore, read at the start, still silences it).
        /// </summary>
        private void WarnStopped()
        {
            var s = _delivery!.Summary();
            string resume = _journal != null
                ? $"Run the same command again with -JournalPath '{_journal.Path}': the journal skips what was delivered and sends the rest."
                : "No -JournalPath was given, so a rerun sends every row again (TikTok drops the repeats by event_id); give -JournalPath next time to send only what is missing.";
            if (_rejects != null) resume += $" The reject file '{_rejects.Path}' was left as it was (a finished run writes it).";
            try
            {
                Host?.UI?.WriteWarningLine($"Send-OfflineEvent was stopped: {s.Delivered:N0} events delivered to event set {EventSetId}, {s.Read:N0} rows read, {s.Rejected:N0} rejected, {s.NotSent:N0} not sent. {resume}");
            }
            catch (Exception ex) when (ex is PSInvalidOperationException || ex is NotImplementedException || ex is IOException)
            {
                // A host without a console: nothing to print to.
            }
        }

        protected override void DisposeResources()
        {
            if (!_completed && _delivery != null)
            {
                // Stopped (Ctrl+C) or failed: let the batches in flight finish so the journal records them.
                _delivery.Abandon(TimeSpan.FromSeconds(60));
            }
            if (_stopped && _delivery != null && !_warningsSilenced) WarnStopped();
            // Uncommitted (a failed or stopped run): the temporary file goes, an older reject file stays as it was.
            _rejects?.Dispose();
            _journal?.Dispose();
        }
    }
}
