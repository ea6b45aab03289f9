using System;
using System.IO;
using CsvHelper;

namespace OfflineEvents.Core.Files
{
    /// <summary>How every reader of offline-event exports opens them (the file checker and the files sent or exported), and how manual-upload parts are written.</summary>
    internal static class UploadCsv
    {
        /// <summary>CsvHelper's reader settings for TikTok's upload format.</summary>
        public static CsvReaderOptions ReaderOptions(int maxRecordBytes, Action<CsvMalformedRecord>? onMalformedRecord = null) => new CsvReaderOptions
        {
            Separator = ',',                    // TikTok's upload is comma-delimited: no guessing
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
