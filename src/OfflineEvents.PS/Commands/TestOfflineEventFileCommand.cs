using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using OfflineEvents.Core.Files;
using OfflineEvents.Core.Pii;
using OfflineEvents.Core.Rules;
using OfflineEvents.PS.Infrastructure;

namespace OfflineEvents.PS.Commands
{
    /// <summary>
    /// Test-OfflineEventFile: checks CSV files, or pipeline rows (-InputObject), before anything leaves the machine:
    /// with the same column resolver and row rules as Send-OfflineEvent and Export-OfflineEventFile, and TikTok's
    /// manual-upload rules besides; reports every problem with its line, row, column and rule id.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "OfflineEventFile", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(FileCheckResult), typeof(bool))]
    public sealed class TestOfflineEventFileCommand : PSCmdlet, IDisposable
    {
        private const string PathSet = "Path";
        private const string LiteralSet = "LiteralPath";
        private const string ObjectSet = "InputObject";
        private const int ProgressId = 0x0EF5;
        private readonly System.Threading.CancellationTokenSource _stopping = new System.Threading.CancellationTokenSource();
        private OfflineEventFileChecker _checker = null!;
        private FileCheckOptions _options = null!;
        private RowChecker? _rows;
        private ObjectRows? _objects;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralSet)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[]? LiteralPath { get; set; }

        /// <summary>Rows to check (Import-Csv objects, custom objects, hashtables), as Send-OfflineEvent takes them: one result for all of them.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
        public PSObject? InputObject { get; set; }

        /// <summary>Writes $true or $false per file instead of a result.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        [Parameter]
        [ValidateRange(1L, long.MaxValue)]
        public long MaxFileSize { get; set; } = 50L * 1024 * 1024;

        [Parameter]
        [ArgumentCompleter(typeof(RegionCompleter))]
        [ValidateNotNullOrEmpty]
        public string? DefaultRegion { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(TimeZoneCompleter))]
        [ValidateNotNullOrEmpty]
        public string? TimeZone { get; set; }

        /// <summary>The event of rows with no event_type, as for Send-OfflineEvent.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(EventTypeCompleter))]
        [ValidateNotNullOrEmpty]
        public string? DefaultEventType { get; set; }

        /// <summary>The currency of rows with a price but no currency, as for Send-OfflineEvent.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(CurrencyCompleter))]
        [ValidateNotNullOrEmpty]
        public string? DefaultCurrency { get; set; }

        /// <summary>Which source columns feed which field, as for Send-OfflineEvent: @{ timestamp = 'Create Date'; phone = 'Phone', 'Mobile' }.</summary>
        [Parameter]
        [ValidateNotNull]
        public System.Collections.IDictionary? ColumnMap { get; set; }

        /// <summary>The export's own event values to TikTok events, as for Send-OfflineEvent; $null skips the row (counted as Skipped).</summary>
        [Parameter]
        [ValidateNotNull]
        public System.Collections.IDictionary? EventTypeMap { get; set; }

        /// <summary>The .NET formats of timestamps that are neither ISO-8601 nor epoch values ('M/d/yyyy h:mm tt'), tried in order; for a date and a time column, of the two joined by a space.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? TimestampFormat { get; set; }

        /// <summary>The culture -TimestampFormat is read in (month names, AM/PM), such as en-US or de-DE; alone, its own short and long date-and-time patterns. Default: invariant.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Culture { get; set; }

        [Parameter]
        [ValidateRange(1, 1000000)]
        public int MaxIssuesPerRule { get; set; } = 100;

        /// <summary>The encoding of the files read: a file Excel or a POS system saved as windows-1252, latin1 or unicode. Default: UTF-8, and a byte that is not UTF-8 is a FileEncoding error.</summary>
        [Parameter]
        [EncodingArgument]
        public System.Text.Encoding? Encoding { get; set; }

        /// <summary>The field separator of the files read: ';' for the CSV files Excel saves in most of Europe. Default: ','.</summary>
        [Parameter]
        public char Delimiter { get; set; } = ',';

        /// <summary>RowTotal (the default, TikTok's template): price is the row's total. UnitPrice: price is per item, so price x quantity must stay below TikTok's bound.</summary>
        [Parameter]
        [ValidateSet(OrderArguments.RowTotal, OrderArguments.UnitPrice, IgnoreCase = true)]
        public string PriceIs { get; set; } = OrderArguments.RowTotal;

        protected override void BeginProcessing()
        {
            // The rules Send-OfflineEvent and Export-OfflineEventFile use, from the same parameters.
            var rules = RowRulesArgument.Create(this, DefaultRegion, TimeZone, DefaultEventType, DefaultCurrency, null, RejectColumnArgument.Read, ColumnMap, EventTypeMap, TimestampFormat, Culture);
            rules.DescribeRejects = true;
            rules.PriceIs = OrderArguments.ParsePriceIs(PriceIs);
            _options = new FileCheckOptions(rules)
            {
                MaxFileSize = MaxFileSize,
                MaxIssuesPerRule = MaxIssuesPerRule,
                Format = FileFormatArgument.Create(this, Encoding, Delimiter),
            };
            _checker = new OfflineEventFileChecker(_options);
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ObjectSet)
            {
                var input = InputObject!;
                switch (input.BaseObject)
                {
                    // Files and path strings still name files to check, as they did before rows could come in.
                    case FileInfo file:
                        CheckOne(file.FullName);
                        return;
                    case string path:
                        foreach (string file in FilePaths.Resolve(this, new[] { path }, false)) CheckOne(file);
                        return;
                }
                _rows ??= new RowChecker(ObjectSet, _options, _stopping.Token);
                _objects ??= new ObjectRows(this, _options.Rows, sinkReportsMissingColumns: true);
                _objects.ReadInto(input, _rows);
                return;
            }
            foreach (string file in ResolvePaths())
            {
                CheckOne(file);
            }
        }

        protected override void EndProcessing()
        {
            if (_rows == null) return;
            var result = _rows.Result();
            WriteVerbose($"{result.Rows:N0} rows, {result.Errors:N0} errors, {result.Warnings:N0} warnings.");
            WriteObject(Quiet ? (object)result.IsValid : result);
        }

        private IEnumerable<string> ResolvePaths() =>
            FilePaths.Resolve(this, ParameterSetName == LiteralSet ? LiteralPath : Path, ParameterSetName == LiteralSet);

        private void CheckOne(string file)
        {
            long length = File.Exists(file) ? new FileInfo(file).Length : 0;
            string activity = "Checking " + System.IO.Path.GetFileName(file);
            FileCheckResult result;
            try
            {
                // On the pipeline thread, which reads the file and writes; the check's workers only validate rows.
                result = _checker.Check(file, bytes =>
                {
                    int percent = length > 0 ? (int)Math.Min(100, bytes * 100 / length) : 0;
                    WriteProgress(new ProgressRecord(ProgressId, activity, $"{bytes / 1048576.0:0.0} of {length / 1048576.0:0.0} MB") { PercentComplete = percent });
                }, _stopping.Token, WriteVerbose);
            }
            catch (FileNotFoundException ex)
            {
                WriteError(new ErrorRecord(ex, ErrorIds.FileNotFound, ErrorCategory.ObjectNotFound, file));
                return;
            }
            catch (ColumnMapException ex)
            {
                ThrowTerminatingError(ColumnMapArgument.MissingColumn(ex, file));
                return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            finally
            {
                WriteProgress(new ProgressRecord(ProgressId, activity, "Done") { RecordType = ProgressRecordType.Completed });
            }
            WriteVerbose($"{file}: {result.Rows:N0} rows, {result.Errors:N0} errors, {result.Warnings:N0} warnings.");
            WriteObject(Quiet ? (object)result.IsValid : result);
        }

        protected override void StopProcessing() => _stopping.Cancel();

        public void Dispose() => _stopping.Dispose();
    }
}
