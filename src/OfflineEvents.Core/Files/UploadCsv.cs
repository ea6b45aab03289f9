using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CsvHelper;

namespace OfflineEvents.Core.Files
{
    /// <summary>How every reader of offline-event exports opens them (the file checker and the files sent or exported), and how manual-upload parts are written.</summary>
    internal static class UploadCsv
    {
        /// <summary>CsvHelper's reader settings for TikTok's upload format.</summary>
        public static CsvReaderOptions ReaderOptions(int maxRecordBytes, Action<CsvMalformedRecord>? onMalformedRecord = null, CsvFileFormat? format = null) => new CsvReaderOptions
        {
            Separator = (format ?? CsvFileFormat.Default).Delimiter, // TikTok's upload is comma-delimited: no guessing, -Delimiter says otherwise
            Encoding = format?.Encoding,        // null: UTF-8 (checked by Utf8ScanningStream)
            HasHeader = true,
            TrackLineNumbers = true,
            AllowLineBreaksInQuotes = true,
            SkipEmptyLines = true,
            MaxRecordSize = maxRecordBytes,
            IncludeValuesInExceptions = false,  // values may be PII
            DetectSeparatorHint = false,
            OnMalformedRecord = onMalformedRecord,
        };

        /// <summary>CsvHelper's writer settings for manual-upload parts.</summary>
        public static CsvWriterOptions WriterOptions(int bufferSize = 1 << 16) => new CsvWriterOptions
        {
            Separator = ',',
            WriteByteOrderMark = false,
            // A cell such as =HYPERLINK(...) would run when the file is opened in a spreadsheet.
            Injection = CsvInjection.Escape,
            BufferSize = bufferSize,
        };

        /// <summary>The verdict on a byte that is not UTF-8, the same from Test, Send and Export.</summary>
        public static string NotUtf8(BytePosition p) =>
            $"byte 0x{p.Value:X2} at line {p.Line}, column {p.Column} is not UTF-8 (illegal characters; a Latin-1 or Windows-1252 file?): " +
            "give -Encoding windows-1252 (or the file's own encoding), or save it as UTF-8 ('CSV UTF-8')";

        /// <summary>The verdict on a UTF-16 or UTF-32 file read without -Encoding, the same from Test, Send and Export.</summary>
        public static string WideFile(string wide)
        {
            string name = wide switch
            {
                "UTF-16 LE" => "unicode",
                "UTF-16 BE" => "bigendianunicode",
                "UTF-32 LE" => "utf32",
                _ => "bigendianutf32",
            };
            return $"is {wide} (byte order mark); TikTok needs UTF-8: give -Encoding {name} to read it, or save it as 'CSV UTF-8'";
        }

        private static readonly (char Delimiter, string Name, string Parameter)[] Delimiters =
        {
            (';', "semicolon", "-Delimiter ';'"),
            ('\t', "tab", "-Delimiter \"`t\""),
            ('|', "pipe", "-Delimiter '|'"),
            (',', "comma", "-Delimiter ','"),
        };

        /// <summary>
        /// A header that reads as one column but holds another delimiter (Excel in most of Europe saves with ';'):
        /// the hint that names the parameter to add, or null. Said once, instead of an error on every row.
        /// </summary>
        public static string? DelimiterHint(IReadOnlyList<string> headers, char delimiter)
        {
            if (headers.Count != 1) return null;
            string header = headers[0];
            var best = Delimiters.Where(d => d.Delimiter != delimiter)
                .Select(d => (d.Name, d.Parameter, Count: header.Count(c => c == d.Delimiter)))
                .OrderByDescending(d => d.Count)
                .First();
            if (best.Count == 0) return null;
            string mine = Delimiters.FirstOrDefault(d => d.Delimiter == delimiter).Name ?? $"'{delimiter}'";
            return $"the header has no {mine} but {best.Count} {best.Name}s: this file looks {best.Name}-delimited: add {best.Parameter}";
        }

        /// <summary>The UTF-16 or UTF-32 encoding a byte order mark names, or null; the stream is left at its start.</summary>
        public static string? WideEncoding(Stream stream)
        {
            var bom = new byte[4];
            int n = stream.Read(bom, 0, 4);
            stream.Position = 0;
            if (n >= 4 && bom[0] == 0xFF && bom[1] == 0xFE && bom[2] == 0 && bom[3] == 0) return "UTF-32 LE";
            if (n >= 4 && bom[0] == 0 && bom[1] == 0 && bom[2] == 0xFE && bom[3] == 0xFF) return "UTF-32 BE";
            if (n >= 2 && bom[0] == 0xFF && bom[1] == 0xFE) return "UTF-16 LE";
            if (n >= 2 && bom[0] == 0xFE && bom[1] == 0xFF) return "UTF-16 BE";
            return null;
        }
    }
}
