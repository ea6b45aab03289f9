using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using OfflineEvents.Core.Delivery;
using OfflineEvents.Core.Rules;
using OfflineEvents.PS.Infrastructure;

namespace OfflineEvents.PS.Commands
{
    /// <summary>
    /// Export-OfflineEventFile: writes TikTok manual-upload CSVs (for Events Manager's upload page) from pipeline
    /// objects or export files: validated, normalized, hashed, formula-safe, split into parts under the size
    /// limit, written atomically. The work is done by the core's <see cref="UploadFileExporter"/>.
    /// </summary>
    [Cmdlet(VerbsData.Export, "OfflineEventFile", DefaultParameterSetName = ObjectSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(UploadExportResult))]
    public sealed class ExportOfflineEventFileCommand : PSCmdlet, IDisposable
    {
        private const string ObjectSet = "InputObject";
        private const string PathSet = "InputPath";
        private const string LiteralSet = "LiteralInputPath";
        private const int ProgressId = 0x0EF7;

        private readonly PipelineLog _log = new PipelineLog();
        private UploadFileExporter? _exporter;
        private RejectFileWriter? _rejects;
        private ObjectRows _rows = null!;
        private FileFeeder _files = null!;
        private string _activity = string.Empty;

        /// <summary>A row: an Import-Csv object, a custom object, a hashtable, or a file (Get-ChildItem).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
        public PSObject? InputObject { get; set; }

        /// <summary>Export files to read directly (wildcards).</summary>
        [Parameter(Mandatory = true, ParameterSetName = PathSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? InputPath { get; set; }

        /// <summary>Export files to read directly, names taken as written; piped Get-ChildItem output binds here (PSPath).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralSet)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[]? LiteralInputPath { get; set; }

        /// <summary>The manual-upload file to write, as Export-Csv's -Path; several parts are name-part001.csv, ...</summary>
        // Not mandatory, as in Export-Csv: -Path or -LiteralPath (checked in BeginProcessing).
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>The manual-upload file to write, its name taken as written (brackets and all).</summary>
        // Export-Csv's -LiteralPath has the aliases PSPath and LP; here they bind piped files to -LiteralInputPath.
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? LiteralPath { get; set; }

        [Parameter]
        [ValidateRange(4096L, long.MaxValue)]
        public long MaxFileSize { get; set; } = 10_000_000;

        [Parameter]
        public SwitchParameter Force { get; set; }

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
        [ValidateNotNullOrEmpty]
        public string? RejectPath { get; set; }

        /// <summary>Which input columns the reject file carries: Read (the columns the module reads, the default) or All (every column; unread ones in plaintext).</summary>
        // A string, not the core's enum: PowerShell reads parameter types before the module's resolver can load the core.
        [Parameter]
        [ValidateSet(RejectColumnArgument.Read, RejectColumnArgument.All, IgnoreCase = true)]
        public string RejectColumn { get; set; } = RejectColumnArgument.Read;

        /// <summary>RowTotal (the default, TikTok's template): price is the row's total and is written as it is. UnitPrice: price is per item, and price x quantity is written.</summary>
        [Parameter]
        [ValidateSet(OrderArguments.RowTotal, OrderArguments.UnitPrice, IgnoreCase = true)]
        public string PriceIs { get; set; } = OrderArguments.RowTotal;

        /// <summary>The encoding of the files read (-InputPath, -LiteralInputPath, piped files): a file Excel or a POS system saved as windows-1252, latin1 or unicode. Default: UTF-8, and a file that is not UTF-8 is refused.</summary>
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

        protected override void BeginProcessing()
        {
            var rules = RowRulesArgument.Create(this, DefaultRegion, TimeZone, DefaultEventType, DefaultCurrency, RejectPath, RejectColumn, ColumnMap, EventTypeMap, TimestampFormat, Culture);
            rules.PriceIs = OrderArguments.ParsePriceIs(PriceIs);
            _rows = new ObjectRows(this, rules);
            string output = Destination();
            OutputGuard.RefuseDirectory(this, output, DestinationParameter);
            string? rejectPath = RejectPath == null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(RejectPath);
            if (rejectPath != null)
            {
                OutputGuard.RefuseDirectory(this, rejectPath, "-RejectPath");
                if (OutputGuard.SameFile(rejectPath, output))
                {
                    ThrowTerminatingError(new ErrorRecord(
                        new ArgumentException($"-RejectPath '{rejectPath}' is also the output '{output}': the reject file would replace the upload file. Give it another name."),
                        ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument, rejectPath));
                }
            }
            bool write = ShouldProcess(output, "Write manual-upload CSV file(s)");
            var options = new UploadExportOptions(output, rules) { MaxFileSize = MaxFileSize, Force = Force, DryRun = !write };
            _activity = $"Writing {System.IO.Path.GetFileName(output)}";
            var host = new RowHost(this, _log, Environment.CurrentManagedThreadId, OnRejected, OnProgress);
            try
            {
                _exporter = new UploadFileExporter(options, host);
            }
            catch (IOException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.ExportOutputExists, ErrorCategory.ResourceExists, output));
            }
            var outputs = new OutputGuard();
            foreach (string file in _exporter!.ExistingOutputFiles()) outputs.Add(DestinationParameter, file);
            if (rejectPath != null) outputs.Add("-RejectPath", rejectPath);
            _files = new FileFeeder(this, ErrorIds.ExportFileRefused, outputs, FileFormatArgument.Create(this, Encoding, Delimiter));
            if (rejectPath != null && write)
            {
                _rejects = new RejectFileWriter(rejectPath, rules.RejectColumns);
                try
                {
                    _rejects.Open();
                }
                catch (OutputWriteException ex)
                {
                    RejectFileFailed(ex);
                }
            }
        }

        private string DestinationParameter => LiteralPath != null ? "-LiteralPath" : "-Path";

        /// <summary>
        /// -Path or -LiteralPath (one of them, as for Export-Csv) as a file system path. A destination is one file, so
        /// -Path expands no wildcards: one with wildcard characters is refused, and -LiteralPath takes such a name.
        /// </summary>
        private string Destination()
        {
            if ((Path == null) == (LiteralPath == null))
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException(Path == null
                        ? "Give the manual-upload file to write with -Path (the first positional argument) or -LiteralPath; the export files to read come through -InputPath, -LiteralInputPath or the pipeline."
                        : "Give -Path or -LiteralPath, not both: each names the file to write; the export files to read come through -InputPath, -LiteralInputPath or the pipeline."),
                    ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument, Path ?? LiteralPath));
            }
            if (Path != null && WildcardPattern.ContainsWildcardCharacters(Path))
            {
                ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException($"-Path '{Path}' has wildcard characters, but the file to write is one file: use -LiteralPath for a name with [ ] * or ?, or -InputPath for the files to read."),
                    ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument, Path));
            }
            return SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path ?? LiteralPath!);
        }

        protected override void ProcessRecord()
        {
            try
            {
                if (ParameterSetName == ObjectSet)
                {
                    var input = InputObject!;
                    if (input.BaseObject is FileInfo file) ExportFiles(new[] { file.FullName });
                    else _rows.ReadInto(input, _exporter!);
                    _log.Drain(this);
                    return;
                }
                ExportFiles(FilePaths.Resolve(this, ParameterSetName == LiteralSet ? LiteralInputPath : InputPath, ParameterSetName == LiteralSet));
            }
            catch (OutputWriteException ex)
            {
                WriteFailed(ex);
            }
        }

        /// <summary>An output part cannot be written: nothing more can work. Dispose removes the temporary files.</summary>
        private void WriteFailed(OutputWriteException ex)
        {
            _log.Drain(this);
            ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.ExportWriteFailed, ErrorCategory.WriteError, ex.Path));
        }

        /// <summary>The reject file cannot be written: a non-terminating error; the export goes on without it (its rejects are still errors).</summary>
        private void RejectFileFailed(OutputWriteException ex)
        {
            _rejects?.Dispose();
            _rejects = null;
            WriteError(RejectRecords.FileFailed(ex, ErrorIds.ExportRejectFileFailed, "export"));
        }

        private void ExportFiles(IReadOnlyList<string> files) => _files.Feed(files, _exporter!);

        protected override void EndProcessing()
        {
            UploadExportResult result;
            try
            {
                // Every input refused and no row read: no header-only file that a scheduled upload would take for an empty day.
                result = _exporter!.Complete(_rejects?.Path, headerOnlyWhenEmpty: _files.Refused == 0 || _exporter.Read > 0);
            }
            catch (OutputWriteException ex)
            {
                WriteFailed(ex);
                return;
            }
            _log.Drain(this); // writes the queued rejects before the reject file is committed
            try
            {
                _rejects?.Commit();
            }
            catch (OutputWriteException ex)
            {
                RejectFileFailed(ex);
            }
            _log.Drain(this);
            foreach (var (rule, count, where, message) in _exporter.WarningExamples())
            {
                WriteWarning($"{rule}: {count:N0} row(s) written with a warning; the first, {where}: {message}");
            }
            WriteProgress(new ProgressRecord(ProgressId, _activity, "Done") { RecordType = ProgressRecordType.Completed });
            WriteVerbose("Export-OfflineEventFile: " + result + (result.Files.Count > 0 ? ": " + string.Join(", ", result.Files) : string.Empty));
            WriteObject(result);
        }

        private void OnRejected(RejectedEvent rejected)
        {
            try
            {
                _rejects?.Write(rejected);
            }
            catch (OutputWriteException ex)
            {
                RejectFileFailed(ex); // not the output's failure: the export goes on
            }
            WriteError(RejectRecords.Create(rejected, ErrorIds.ExportRejectedPrefix, "was not written"));
        }

        private void OnProgress(DeliveryProgress p)
        {
            var record = new ProgressRecord(ProgressId, _activity, $"{p.Read:N0} read, {p.Delivered:N0} written, {p.Rejected:N0} rejected");
            if (p.TotalBytes > 0) record.PercentComplete = (int)Math.Min(100, p.BytesRead * 100 / p.TotalBytes);
            WriteProgress(record);
        }

        protected override void StopProcessing()
        {
            _exporter?.Stop();
        }

        public void Dispose()
        {
            _exporter?.Dispose();
            _rejects?.Dispose();
        }
    }
}
