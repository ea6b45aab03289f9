using System;
using System.Collections.Generic;
using System.IO;
using CsvHelper;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>
    /// Writes rejected rows to a CSV an admin can fix and send again: the input's own columns (PII hashed, or
    /// masked when invalid), then source_row, rule_id and reason. Written to a temporary file beside the target
    /// and moved into place at the end, so a crash never leaves a half-written reject file.
    /// </summary>
    public sealed class RejectFileWriter : IDisposable
    {
        public static readonly string[] ExtraColumns = { "source_row", "rule_id", "reason" };

        private readonly string _path;
        private readonly string _temp;
        private FileStream? _stream;
        private CsvWriter? _writer;
        private IReadOnlyList<string>? _headers;
        private Dictionary<string, int>? _columnIndex;

        public RejectFileWriter(string path)
        {
            _path = System.IO.Path.GetFullPath(path);
            _temp = _path + ".tmp-" + Guid.NewGuid().ToString("N").Substring(0, 8);
        }

        public string Path => _path;

        public long Count { get; private set; }

        /// <summary>Appends a row. The header is the first reject's columns; later rows of another shape are matched by name.</summary>
        public void Write(RejectedEvent reject)
        {
            if (_writer == null)
            {
                Begin(reject.Headers);
            }
            var record = new string[_headers!.Count + ExtraColumns.Length];
            if (ReferenceEquals(reject.Headers, _headers))
            {
                for (int i = 0; i < _headers.Count; i++) record[i] = i < reject.SafeFields.Count ? reject.SafeFields[i] ?? string.Empty : string.Empty;
            }
            else
            {
                for (int i = 0; i < record.Length; i++) record[i] = string.Empty;
                for (int i = 0; i < reject.Headers.Count && i < reject.SafeFields.Count; i++)
                {
                    if (_columnIndex!.TryGetValue(reject.Headers[i], out int at)) record[at] = reject.SafeFields[i] ?? string.Empty;
                }
            }
            int extra = _headers.Count;
            record[extra] = reject.Row.ToString(System.Globalization.CultureInfo.InvariantCulture);
            record[extra + 1] = string.Join(";", reject.RuleIds);
            record[extra + 2] = reject.Reason;
            _writer!.WriteRecord(record);
            Count++;
        }

        private void Begin(IReadOnlyList<string> headers)
        {
            string? directory = System.IO.Path.GetDirectoryName(_path);
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            _stream = new FileStream(_temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            _writer = CsvWriter.Create(_stream, new CsvWriterOptions { Separator = ',', WriteByteOrderMark = false }, leaveOpen: true);
            _headers = headers;
            _columnIndex = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < headers.Count; i++)
            {
                if (!_columnIndex.ContainsKey(headers[i])) _columnIndex[headers[i]] = i;
            }
            var header = new string[headers.Count + ExtraColumns.Length];
            for (int i = 0; i < headers.Count; i++) header[i] = headers[i];
            ExtraColumns.CopyTo(header, headers.Count);
            _writer.WriteHeader(header);
        }

        /// <summary>Moves the file into place (replacing an older one). With no rejects, an older file is removed: it would describe another run.</summary>
        public void Commit()
        {
            if (_writer == null)
            {
                if (File.Exists(_path)) File.Delete(_path);
                return;
            }
            _writer.Flush();
            _writer.Dispose();
            _writer = null;
            _stream!.Flush(flushToDisk: true);
            _stream.Dispose();
            _stream = null;
            if (File.Exists(_path)) File.Replace(_temp, _path, null);
            else File.Move(_temp, _path);
        }

        /// <summary>Without Commit (a failed run), the temporary file is removed.</summary>
        public void Dispose()
        {
            _writer?.Dispose();
            _stream?.Dispose();
            if (File.Exists(_temp)) File.Delete(_temp);
        }
    }
}
