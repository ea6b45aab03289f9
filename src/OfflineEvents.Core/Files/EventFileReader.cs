using System.IO;
using System.Linq;
using CsvHelper;
using OfflineEvents.Core.Delivery;
using OfflineEvents.Core.Rules;

namespace OfflineEvents.Core.Files
{
    /// <summary>
    /// The one reader of CSV exports, for every file route (Send-OfflineEvent and Export-OfflineEventFile -Path,
    /// Test-OfflineEventFile): byte-order mark and wide encodings, UTF-8, delimiter, header and required columns, the
    /// field-count rule, quoting and record length, line and row numbers, into a row sink. CsvHelper parses; no
    /// PowerShell objects. What it finds about the file goes to one channel: a check's <see cref="IFileFindings"/>, or,
    /// without one, a refusal of the whole file before anything of it is sent.
    /// </summary>
    public static class EventFileReader
    {
        /// <summary>
        /// Reads the file, in its <paramref name="format"/> (-Encoding, -Delimiter; null: UTF-8 and commas), into the
        /// sink. Returns the rows read. Without <paramref name="findings"/> it throws FileRefusedException or InvalidDataException
        /// for a file that cannot be sent at all; with them it reports and goes on where it can. Throws ColumnMapException
        /// when the -ColumnMap names a column the file does not have. <c>describe</c> receives, once, which column feeds which field (for Verbose).
        /// Runs on the calling thread: the sink's workers compute, its rows arrive here in file order.
        /// </summary>
        public static long Feed(string path, IRowSink sink, long bytesBefore, long totalBytes, int maxRecordBytes = 1024 * 1024, CsvFileFormat? format = null,
            System.Action<string>? describe = null, IFileFindings? findings = null)
        {
            format ??= CsvFileFormat.Default;
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            if (!format.IsWide && UploadCsv.WideEncoding(file) is string wide)
            {
                Refuse(path, findings, FileRuleIds.FileEncoding, 1, UploadCsv.WideFile(wide));
                return 0;
            }
            Utf8ScanningStream? scanner = null;
            if (findings != null)
            {
                // A check places every bad byte and control character, in the same pass that parses.
                scanner = new Utf8ScanningStream(file, findings.KeepPerRule);
            }
            else if (format.Encoding == null && Utf8ScanningStream.FirstInvalid(file) is BytePosition bad)
            {
                // The whole file is checked before its first row goes: rows before a bad byte are not sent either, and
                // nothing decoded with replacement characters is ever hashed. The check costs about 10 ms per 50 MB.
                Refuse(path, null, FileRuleIds.FileEncoding, bad.Line, UploadCsv.NotUtf8(bad));
            }
            long rows = ReadRows(path, scanner ?? (Stream)file, sink, bytesBefore, totalBytes, maxRecordBytes, format, describe, findings);
            if (scanner != null) ReportBytes(scanner, format, findings!);
            sink.SetPosition(path, bytesBefore + file.Length, totalBytes);
            return rows;
        }

        private static long ReadRows(string path, Stream input, IRowSink sink, long bytesBefore, long totalBytes, int maxRecordBytes, CsvFileFormat format,
            System.Action<string>? describe, IFileFindings? findings)
        {
            // Stray quotes are read as CsvHelper recovers them; only a check reports them (the detection costs a little).
            var options = UploadCsv.ReaderOptions(maxRecordBytes, findings == null ? null : m => Malformed(findings, m), format);
            // Send and Export keep a row's fields until its event is acknowledged (a reject file may need them), past
            // 10,000 open orders and the batches in flight: every field string outlived gen0. CsvHelper's pool gives the
            // repeated values of a column (event, currency, category, store, product, price...) one string each.
            // A check drops its rows at once, so it does not pool.
            if (findings == null) options = options with { PoolStrings = true };
            using var reader = CsvReader.Create(input, options, leaveOpen: true);
            string[] headers;
            try
            {
                headers = reader.Headers.ToArray();
            }
            catch (CsvFormatException ex)
            {
                if (findings == null) throw new InvalidDataException($"'{path}': the header cannot be read ({ex.Message}).", ex);
                findings.Found(ex.LineNumber, string.Empty, FileRuleIds.RecordTooLarge, Severity.Error, "the header cannot be read: " + ex.Message);
                return 0;
            }
            if (UploadCsv.DelimiterHint(headers, format.Delimiter) is string hint)
            {
                // Read with the wrong delimiter, every row would fail: one finding says what to add.
                Refuse(path, findings, FileRuleIds.FileDelimiter, 1, hint);
                return 0;
            }
            var shape = new EventShape(headers, sink.Rules.Columns);
            describe?.Invoke($"{path}: {shape.Map.Describe()}");
            if (findings != null)
            {
                findings.Header(shape, 1);
            }
            else if (shape.MissingRequired(sink.Rules) is var missing && missing.Count > 0)
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
                        sink.Reject(shape, reader.RowNumber, reader.LineNumber, fields, path, FileRuleIds.FieldCount, string.Empty,
                            $"has {count:N0} fields; the header has {headers.Length} (an unquoted comma in a value?)");
                        more = !sink.IsStopping;
                    }
                    else
                    {
                        more = sink.Add(shape, reader.RowNumber, reader.LineNumber, fields, path);
                    }
                    if ((rows & 1023) == 0) sink.SetPosition(path, bytesBefore + input.Position, totalBytes);
                    if (!more) break;
                }
            }
            catch (CsvFormatException ex)
            {
                if (findings == null)
                {
                    throw new InvalidDataException(
                        $"'{path}': reading stopped at line {ex.LineNumber}: a record longer than {maxRecordBytes:N0} bytes (an unclosed quote?). The {rows:N0} rows before it were taken; fix the file (Test-OfflineEventFile shows where) and send it again.", ex);
                }
                findings.Found(ex.LineNumber, string.Empty, FileRuleIds.RecordTooLarge, Severity.Error,
                    $"the record starting on line {ex.LineNumber} is longer than {maxRecordBytes:N0} bytes (an unclosed quote?); reading stopped there");
            }
            return rows;
        }

        /// <summary>A file-level problem: a finding of the check, or the refusal of the whole file.</summary>
        private static void Refuse(string path, IFileFindings? findings, string rule, long line, string message)
        {
            if (findings == null) throw new FileRefusedException(path, rule, line, message + "; nothing was sent from it.");
            findings.Found(line, string.Empty, rule, Severity.Error, message);
        }

        private static void Malformed(IFileFindings findings, CsvMalformedRecord m)
        {
            if (m.Reason == CsvMalformedReason.FieldCountMismatch) return; // the field-count rule, with the counts
            bool unterminated = m.Reason == CsvMalformedReason.UnterminatedQuote;
            findings.Found(m.LineNumber, string.Empty, unterminated ? FileRuleIds.QuoteUnterminated : FileRuleIds.QuoteMalformed, Severity.Error,
                unterminated
                    ? $"a quoted field that starts on line {m.LineNumber} is never closed: the rest of the file reads as one value"
                    : $"line {m.LineNumber} has a stray quote ({m.Reason}): quote the whole field and double quotes inside it");
        }

        /// <summary>The bytes a check found that are not UTF-8, or control characters, each with its line and column.</summary>
        private static void ReportBytes(Utf8ScanningStream scanner, CsvFileFormat format, IFileFindings findings)
        {
            // With -Encoding the bytes are not meant to be UTF-8; in a wide encoding, bytes are not characters.
            if (format.Encoding == null)
            {
                foreach (var p in scanner.InvalidUtf8) findings.Found(p.Line, string.Empty, FileRuleIds.FileEncoding, Severity.Error, UploadCsv.NotUtf8(p));
                findings.FoundMore(FileRuleIds.FileEncoding, scanner.InvalidUtf8Count - scanner.InvalidUtf8.Count, Severity.Error);
            }
            if (format.Encoding != null && !format.Encoding.IsSingleByte) return;
            foreach (var p in scanner.ControlCharacters)
            {
                findings.Found(p.Line, string.Empty, FileRuleIds.FileControlCharacters, Severity.Error,
                    $"control character 0x{p.Value:X2} at line {p.Line}, column {p.Column} (illegal characters)");
            }
            findings.FoundMore(FileRuleIds.FileControlCharacters, scanner.ControlCharacterCount - scanner.ControlCharacters.Count, Severity.Error);
        }
    }
}
