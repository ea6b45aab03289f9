using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using CsvHelper;
using OfflineEvents.Core.Files;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>
    /// Feeds a CSV export straight into a row sink (the fast path of Send-OfflineEvent and Export-OfflineEventFile -Path):
    /// CsvHelper's UTF-8 reader, no PowerShell objects. A row whose field count does not match the header is
    /// rejected; a file whose header lacks a required column, that is not UTF-8 (without -Encoding) or that looks
    /// delimited by another character than -Delimiter is refused whole, before any of it is sent.
    /// </summary>
    public static class EventFileReader
    {
        /// <summary>
        /// Reads the file, in its <paramref name="format"/> (-Encoding, -Delimiter; null: UTF-8 and commas), into the
        /// delivery. Returns the rows read. Throws FileRefusedException or InvalidDataException for a file that cannot be sent at all,
        /// ColumnMapException when the -ColumnMap names a column it does not have. <c>describe</c> receives, once, which column feeds which field (for Verbose).
        /// </summary>
        public static long Feed(string path, IRowSink delivery, long bytesBefore, long totalBytes, int maxRecordBytes = 1024 * 1024, CsvFileFormat? format = null,
            Action<string>? describe = null)
        {
            format ??= CsvFileFormat.Default;
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            if (!format.IsWide && UploadCsv.WideEncoding(stream) is string wide)
            {
                throw new FileRefusedException(path, FileRuleIds.FileEncoding, 1, UploadCsv.WideFile(wide) + "; nothing was sent from it.");
            }
            // The whole file is checked before its first row goes: rows before a bad byte are not sent either, and
            // nothing decoded with replacement characters is ever hashed. The check costs about 10 ms per 50 MB.
            if (format.Encoding == null && Utf8ScanningStream.FirstInvalid(stream) is BytePosition bad)
            {
                throw new FileRefusedException(path, FileRuleIds.FileEncoding, bad.Line, UploadCsv.NotUtf8(bad) + "; nothing was sent from it.");
            }
            var options = UploadCsv.ReaderOptions(maxRecordBytes, format: format);
            using var reader = CsvReader.Create(stream, options, leaveOpen: true);
            string[] headers;
            try
            {
                headers = reader.Headers.ToArray();
            }
            catch (CsvFormatException ex)
            {
                throw new InvalidDataException($"'{path}': the header cannot be read ({ex.Message}).", ex);
            }
            if (UploadCsv.DelimiterHint(headers, format.Delimiter) is string hint)
            {
                throw new FileRefusedException(path, FileRuleIds.FileDelimiter, 1, hint + "; nothing was sent from it.");
            }
            var shape = new EventShape(headers, delivery.Rules.Columns);
            describe?.Invoke($"{path}: {shape.Map.Describe()}");
            var missing = shape.MissingRequired(delivery.Rules);
            if (missing.Count > 0)
            {
                throw new InvalidDataException($"'{path}' has no {string.Join(", no ", missing)} column{shape.Map.MissingHint(missing)} (its columns: {string.Join(", ", headers.Select(h => "'" + Pii.PiiMask.InMessage(h) + "'"))}); nothing was sent from it.");
            }
            long rows = 0;
            try
            {
                while (reader.Read())
                {
                    rows++;
                    int count = reader.FieldCount;
                    var fields = new string?[headers.Length];
                    for (int i = 0; i < fields.Length && i < count; i++) fields[i] = reader.GetString(i);
                    bool more;
                    if (count != headers.Length)
                    {
                        delivery.Reject(shape, reader.RowNumber, reader.LineNumber, fields, path, FileRuleIds.FieldCount, string.Empty,
                            $"has {count:N0} fields; the header has {headers.Length} (an unquoted comma in a value?)");
                        more = !delivery.IsStopping;
                    }
                    else
                    {
                        more = delivery.Add(shape, reader.RowNumber, reader.LineNumber, fields, path);
                    }
                    if ((rows & 1023) == 0) delivery.SetPosition(path, bytesBefore + stream.Position, totalBytes);
                    if (!more) break;
                }
            }
            catch (CsvFormatException ex)
            {
                throw new InvalidDataException(
                    $"'{path}': reading stopped at line {ex.LineNumber}: a record longer than {maxRecordBytes:N0} bytes (an unclosed quote?). The {rows:N0} rows before it were taken; fix the file (Test-OfflineEventFile shows where) and send it again.", ex);
            }
            delivery.SetPosition(path, bytesBefore + stream.Length, totalBytes);
            return rows;
        }
    }
}
