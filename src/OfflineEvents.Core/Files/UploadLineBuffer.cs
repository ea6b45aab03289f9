using System.IO;
using System.Linq;
using CsvHelper;

namespace OfflineEvents.Core.Files
{
    /// <summary>
    /// Manual-upload CSV lines formatted by CsvHelper into one growing buffer: the rows of one chunk, on the worker
    /// that prepares them. The exporter then only copies each line's bytes into its part, and knows its exact size,
    /// instead of formatting every row on the one thread that also reads the input. Not thread-safe.
    /// </summary>
    internal sealed class UploadLineBuffer
    {
        private readonly MemoryStream _bytes;
        private readonly CsvWriter _writer;
        private long _start;

        public UploadLineBuffer(int capacity = 32 * 1024)
        {
            _bytes = new MemoryStream(capacity);
            _writer = CsvWriter.Create(_bytes, UploadCsv.WriterOptions(bufferSize: 4096), leaveOpen: true);
        }

        /// <summary>The CSV writer for the next line's fields; <see cref="EndLine"/> ends it.</summary>
        public CsvWriter Writer => _writer;

        /// <summary>Ends the line written through <see cref="Writer"/> and says where it is.</summary>
        public UploadLine EndLine()
        {
            _writer.EndRecord();
            _writer.Flush();
            long start = _start;
            _start = _bytes.Length;
            return new UploadLine(this, (int)start, (int)(_start - start));
        }

        /// <summary>The buffer the lines are in; read it once the lines of the chunk are all written.</summary>
        internal byte[] Bytes => _bytes.GetBuffer();

        /// <summary>The header line of every part (TikTok's columns in order), formatted with the lines' settings.</summary>
        public static byte[] Header { get; } = FormatHeader();

        private static byte[] FormatHeader()
        {
            using var bytes = new MemoryStream();
            using (var writer = CsvWriter.Create(bytes, UploadCsv.WriterOptions(), leaveOpen: true))
            {
                writer.WriteHeader(Rules.OfflineEventColumns.All.ToArray());
            }
            return bytes.ToArray();
        }
    }

    /// <summary>One formatted line of a manual-upload part: UTF-8 bytes, CRLF included.</summary>
    internal readonly struct UploadLine
    {
        private readonly UploadLineBuffer? _owner;

        public UploadLine(UploadLineBuffer owner, int start, int length)
        {
            _owner = owner;
            Start = start;
            Length = length;
        }

        public int Start { get; }

        public int Length { get; }

        public void WriteTo(Stream destination) => destination.Write(_owner!.Bytes, Start, Length);
    }
}
