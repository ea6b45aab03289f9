using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using OfflineEvents.Core.Delivery;
using OfflineEvents.Core.Files;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>
    /// Reads export files straight into a row sink (Send-OfflineEvent, Export-OfflineEventFile -Path): on the pipeline
    /// thread, which feeds the sink and writes what it reports, while the sink's workers prepare and send; a file that
    /// cannot be read at all is a non-terminating error and the next file goes on. Keeps the byte counts that progress shows.
    /// </summary>
    internal sealed class FileFeeder
    {
        private readonly PSCmdlet _cmdlet;
        private readonly string _refusedErrorId;
        private readonly OutputGuard? _outputs;
        private readonly CsvFileFormat _format;
        private long _bytesDone, _bytesTotal;

        /// <param name="cmdlet">The cmdlet whose pipeline thread writes errors and progress.</param>
        /// <param name="refusedErrorId">The id of the error for a file that cannot be read.</param>
        /// <param name="outputs">The run's output files: an input that is one of them is refused before it is read.</param>
        /// <param name="format">The files' encoding and delimiter (-Encoding, -Delimiter).</param>
        public FileFeeder(PSCmdlet cmdlet, string refusedErrorId, OutputGuard? outputs = null, CsvFileFormat? format = null)
        {
            _format = format ?? CsvFileFormat.Default;
            _cmdlet = cmdlet;
            _refusedErrorId = refusedErrorId;
            _outputs = outputs;
        }

        /// <summary>Input files refused whole (unreadable, not UTF-8, no required column...).</summary>
        public int Refused { get; private set; }

        public void Feed(IReadOnlyList<string> files, IRowSink sink)
        {
            // Every file first: -Path *.csv that also matches -RejectPath is refused before any of them is read or sent.
            if (_outputs != null)
            {
                foreach (string file in files) _outputs.Check(_cmdlet, file);
            }
            _bytesTotal += files.Where(File.Exists).Sum(f => new FileInfo(f).Length);
            foreach (string file in files)
            {
                if (sink.IsStopping) return;
                if (Directory.Exists(file))
                {
                    Refused++;
                    _cmdlet.WriteError(new ErrorRecord(new IOException($"'{file}' is a directory, not a file."), _refusedErrorId, ErrorCategory.InvalidArgument, file));
                    continue;
                }
                long before = _bytesDone, total = _bytesTotal;
                try
                {
                    _cmdlet.WriteVerbose($"Reading {file}");
                    long rows = EventFileReader.Feed(file, sink, before, total, format: _format, describe: _cmdlet.WriteVerbose);
                    _cmdlet.WriteVerbose($"{file}: {rows:N0} rows read.");
                }
                catch (Core.Rules.ColumnMapException ex)
                {
                    // The -ColumnMap does not fit the input: a parameter error, not this file's fault alone.
                    _cmdlet.ThrowTerminatingError(ColumnMapArgument.MissingColumn(ex, file));
                }
                // An output that fails (OutputWriteException) is no fault of this file: the cmdlet reports it.
                catch (Exception ex) when (!(ex is OutputWriteException) && (ex is InvalidDataException || ex is FileRefusedException || ex is IOException || ex is UnauthorizedAccessException))
                {
                    Refused++;
                    bool content = ex is InvalidDataException || ex is FileRefusedException;
                    _cmdlet.WriteError(new ErrorRecord(ex, _refusedErrorId, content ? ErrorCategory.InvalidData : ErrorCategory.ReadError, file));
                }
                _bytesDone = before + (File.Exists(file) ? new FileInfo(file).Length : 0);
            }
        }
    }
}
