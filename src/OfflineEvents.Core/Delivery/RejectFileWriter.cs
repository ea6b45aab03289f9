using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using CsvHelper;
using OfflineEvents.Core.Files;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>
    /// Writes rejected rows to a CSV an admin can fix and send again: the row's columns (by default only those the
    /// module reads, under their standard names; with <see cref="RejectColumns.All"/> every input column), PII
    /// hashed or masked when invalid, then source_file, source_line, source_row, rule_id and reason. Rows from
    /// inputs with different headers share one header: the union of their columns. Rows are spooled to a
    /// temporary file beside the target (opened at <see cref="Open"/>, which checks early that the folder takes
    /// files) and the CSV is written and moved into place by <see cref="Commit"/>, so a crash never leaves a
    /// half-written reject file and a failed run never touches an older one.
    /// </summary>
    public sealed class RejectFileWriter : IDisposable
    {
        public static readonly string[] ExtraColumns = { "source_file", "source_line", "source_row", "rule_id", "reason" };

        private readonly string _path;
        private readonly List<Layout> _layouts = new List<Layout>();
        private readonly List<string> _columns = new List<string>();
        private readonly Dictionary<string, int> _columnByKey = new Dictionary<string, int>(StringComparer.Ordinal);
        private Layout? _last;
        private string? _spoolPath, _csvPath;
        private FileStream? _spool;
        private BinaryWriter? _spoolWriter;
        private FileStream? _csv;
        private bool _failed;

        public RejectFileWriter(string path, RejectColumns columns = RejectColumns.Read)
        {
            _path = System.IO.Path.GetFullPath(path);
            Columns = columns;
        }

        public string Path => _path;

        public RejectColumns Columns { get; }

        public long Count { get; private set; }

        /// <summary>
        /// Removes temporary files that killed runs left beside the target and opens this run's: a folder that
        /// cannot take the file fails here, before anything is sent, rather than at the end.
        /// </summary>
        public void Open()
        {
            if (_spool != null) return;
            try
            {
                string? directory = System.IO.Path.GetDirectoryName(_path);
                if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
                TempFiles.RemoveStale(_path);
                _spoolPath = TempFiles.NewName(_path);
                _spool = new FileStream(_spoolPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
                _spoolWriter = new BinaryWriter(_spool, System.Text.Encoding.UTF8, leaveOpen: true);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException)
            {
                Fail();
                throw new OutputWriteException(_path, ex);
            }
        }

        /// <summary>Appends a row (to the spool; the CSV is written at Commit).</summary>
        public void Write(RejectedEvent reject)
        {
            if (_failed) throw new InvalidOperationException("The reject file failed earlier.");
            Open();
            var layout = LayoutFor(reject.Shape);
            try
            {
                var w = _spoolWriter!;
                w.Write(layout.Id);
                w.Write(reject.Source ?? string.Empty);
                w.Write(reject.Line);
                w.Write(reject.Row);
                w.Write(string.Join(";", reject.RuleIds));
                w.Write(reject.Reason ?? string.Empty);
                foreach (int index in layout.Inputs) w.Write(index < reject.SafeFields.Count ? reject.SafeFields[index] ?? string.Empty : string.Empty);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                Fail();
                throw new OutputWriteException(_path, ex);
            }
            Count++;
        }

        /// <summary>
        /// Writes the CSV and moves it into place (replacing an older one). With no rejects, an older file is
        /// removed: it would describe another run. Call only when the run has read all its input and finished.
        /// </summary>
        public void Commit()
        {
            if (_failed) throw new InvalidOperationException("The reject file failed earlier.");
            try
            {
                if (Count == 0)
                {
                    Discard();
                    if (File.Exists(_path)) File.Delete(_path);
                    return;
                }
                _spoolWriter!.Flush();
                _spool!.Position = 0;
                _csvPath = TempFiles.NewName(_path);
                _csv = TempFiles.Create(_csvPath, 1 << 16);
                using (var reader = new BinaryReader(_spool, System.Text.Encoding.UTF8, leaveOpen: true))
                using (var csv = CsvWriter.Create(_csv, new CsvWriterOptions { Separator = ',', WriteByteOrderMark = false }, leaveOpen: true))
                {
                    var header = new string[_columns.Count + ExtraColumns.Length];
                    _columns.CopyTo(header);
                    ExtraColumns.CopyTo(header, _columns.Count);
                    csv.WriteHeader(header);
                    var record = new string[header.Length];
                    for (long n = 0; n < Count; n++)
                    {
                        for (int i = 0; i < record.Length; i++) record[i] = string.Empty;
                        var layout = _layouts[reader.ReadInt32()];
                        int extra = _columns.Count;
                        record[extra] = reader.ReadString();
                        long line = reader.ReadInt64();
                        record[extra + 1] = line > 0 ? line.ToString(CultureInfo.InvariantCulture) : string.Empty;
                        record[extra + 2] = reader.ReadInt64().ToString(CultureInfo.InvariantCulture);
                        record[extra + 3] = reader.ReadString();
                        record[extra + 4] = reader.ReadString();
                        foreach (int column in layout.Outputs) record[column] = reader.ReadString();
                        csv.WriteRecord(record);
                    }
                    csv.Flush();
                }
                _csv.Flush(flushToDisk: true);
                _csv.Dispose();
                _csv = null;
                if (File.Exists(_path)) File.Replace(_csvPath, _path, null);
                else File.Move(_csvPath, _path);
                _csvPath = null;
                Discard();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                Fail();
                throw new OutputWriteException(_path, ex);
            }
        }

        /// <summary>Without Commit (a failed or stopped run), the temporary files are removed and an older reject file stays as it was.</summary>
        public void Dispose() => Fail();

        private void Fail()
        {
            _failed = true;
            Discard();
            TempFiles.CloseQuietly(_csv);
            _csv = null;
            TempFiles.DeleteQuietly(_csvPath);
            _csvPath = null;
        }

        private void Discard()
        {
            TempFiles.CloseQuietly(_spoolWriter);
            TempFiles.CloseQuietly(_spool);
            _spoolWriter = null;
            _spool = null;
            TempFiles.DeleteQuietly(_spoolPath);
            _spoolPath = null;
        }

        /// <summary>Which of a shape's columns are written, and where they go in the shared header.</summary>
        private Layout LayoutFor(EventShape shape)
        {
            if (_last != null && ReferenceEquals(_last.Shape.Headers, shape.Headers)) return _last;
            foreach (var known in _layouts)
            {
                if (known.Shape.SameHeaders(shape.Headers)) return _last = known;
            }
            var headers = shape.Headers;
            var inputs = new List<int>();
            var outputs = new List<int>();
            if (Columns == RejectColumns.All)
            {
                var seen = new Dictionary<string, int>(StringComparer.Ordinal);
                for (int i = 0; i < headers.Count; i++)
                {
                    string name = headers[i] ?? string.Empty;
                    // A reject file sent again brings the last run's extra columns: this run writes its own.
                    if (Array.IndexOf(ExtraColumns, name) >= 0) continue;
                    seen[name] = seen.TryGetValue(name, out int n) ? n + 1 : 1;
                    inputs.Add(i);
                    outputs.Add(ColumnFor(name + "\0" + seen[name].ToString(CultureInfo.InvariantCulture), name));
                }
            }
            else
            {
                // The columns the rules read, under their standard names: the shape knows which. An identifier read from
                // several columns (Phone, Mobile, Billing Phone) keeps the others under their own names, so none overwrites another.
                var named = new HashSet<string>(StringComparer.Ordinal);
                foreach (var (index, column) in shape.ReadColumns)
                {
                    inputs.Add(index);
                    outputs.Add(named.Add(column) ? ColumnFor(column, column) : ColumnFor(column + "\0" + headers[index], headers[index] ?? column));
                }
            }
            var layout = new Layout(_layouts.Count, shape, inputs.ToArray(), outputs.ToArray());
            _layouts.Add(layout);
            return _last = layout;
        }

        private int ColumnFor(string key, string name)
        {
            if (_columnByKey.TryGetValue(key, out int at)) return at;
            _columns.Add(name);
            return _columnByKey[key] = _columns.Count - 1;
        }

        private sealed class Layout
        {
            public Layout(int id, EventShape shape, int[] inputs, int[] outputs)
            {
                Id = id;
                Shape = shape;
                Inputs = inputs;
                Outputs = outputs;
            }

            public int Id { get; }
            public EventShape Shape { get; }
            /// <summary>The input columns written, in input order.</summary>
            public int[] Inputs { get; }
            /// <summary>Where each goes in the shared header.</summary>
            public int[] Outputs { get; }
        }
    }
}
