using System;
using System.Management.Automation;
using System.Text;
using OfflineEvents.Core.Files;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>-Encoding and -Delimiter of the file routes, made into the core's file format.</summary>
    internal static class FileFormatArgument
    {
        public static CsvFileFormat Create(PSCmdlet cmdlet, Encoding? encoding, char delimiter)
        {
            // CsvHelper splits on one ASCII character; a quote or a line break cannot be one.
            if (delimiter > 0x7E || delimiter == '"' || delimiter == '\r' || delimiter == '\n' || (delimiter < 0x20 && delimiter != '\t'))
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException($"-Delimiter '{delimiter}' (U+{(int)delimiter:X4}) cannot separate fields: give a printable ASCII character such as ';' or '|', or \"`t\" for tabs."),
                    ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument, delimiter));
            }
            return new CsvFileFormat(encoding, delimiter);
        }
    }
}
