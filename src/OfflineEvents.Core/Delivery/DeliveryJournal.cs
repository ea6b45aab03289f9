using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>
    /// An append-only record of the events TikTok acknowledged, so a rerun sends only what is new. One line
    /// per event, "E&lt;TAB&gt;event set&lt;TAB&gt;event&lt;TAB&gt;event_id", after a "B" line naming the batch's request id
    /// and time: keys only, never PII. Lines are written only after TikTok's answer, a batch in one write,
    /// flushed to disk, so a process killed at any moment leaves at most a torn last line, which is ignored;
    /// the batch it belonged to is sent again and TikTok deduplicates it by event_id. The file is held
    /// open for writing by one run at a time.
    /// </summary>
    public sealed class DeliveryJournal : IDisposable
    {
        private const string Header = "# OfflineEvents.PS delivery journal v1";
        private readonly FileStream _stream;
        private readonly FileStream _lock;
        private readonly HashSet<string> _keys = new HashSet<string>(StringComparer.Ordinal);
        private readonly object _gate = new object();

        private DeliveryJournal(string path, FileStream stream, FileStream lockFile)
        {
            Path = path;
            _stream = stream;
            _lock = lockFile;
        }

        public string Path { get; }

        /// <summary>Events the journal held when it was opened.</summary>
        public long LoadedCount { get; private set; }

        /// <summary>Whether the last line was torn (a run killed mid-write) and was ignored.</summary>
        public bool HadTornLine { get; private set; }

        public static string Key(string eventSetId, string eventName, string eventId) => eventSetId + "\t" + eventName + "\t" + eventId;

        /// <summary>Opens (or creates) the journal and reads its keys. Throws IOException when another run holds it.</summary>
        public static DeliveryJournal Open(string path)
        {
            string full = System.IO.Path.GetFullPath(path);
            string? directory = System.IO.Path.GetDirectoryName(full);
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            // An exclusive lock file says "a run is using this journal" on every platform (FileShare is advisory
            // on Unix); the journal itself stays readable. The OS drops the lock when a killed run's process ends.
            var lockFile = new FileStream(full + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            FileStream? stream = null;
            try
            {
                stream = new FileStream(full, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
                var journal = new DeliveryJournal(full, stream, lockFile);
                journal.Load();
                return journal;
            }
            catch
            {
                stream?.Dispose();
                lockFile.Dispose();
                throw;
            }
        }

        private void Load()
        {
            if (_stream.Length == 0)
            {
                WriteRaw(Header + "\n");
                return;
            }
            _stream.Position = 0;
            var reader = new StreamReader(_stream, new UTF8Encoding(false), false, 1 << 16);
            string text = reader.ReadToEnd();
            int start = 0;
            while (start < text.Length)
            {
                int end = text.IndexOf('\n', start);
                if (end < 0)
                {
                    HadTornLine = true; // no newline: the write was cut short; its batch was never counted as sent
                    break;
                }
                string line = text.Substring(start, end - start);
                start = end + 1;
                if (line.StartsWith("E\t", StringComparison.Ordinal))
                {
                    string[] parts = line.Split('\t');
                    if (parts.Length == 4 && _keys.Add(Key(parts[1], parts[2], parts[3]))) LoadedCount++;
                }
                else if (line.Length > 0 && line[0] != '#' && line[0] != 'B')
                {
                    throw new InvalidDataException($"'{Path}' is not an OfflineEvents.PS journal (line '{(line.Length > 40 ? line.Substring(0, 40) + "..." : line)}'). Give -JournalPath a new file or an existing journal.");
                }
            }
            _stream.Seek(0, SeekOrigin.End);
            // A torn line is closed off so the next batch starts on a line of its own.
            if (HadTornLine) WriteRaw("\n");
        }

        public int Count
        {
            get { lock (_gate) return _keys.Count; }
        }

        public bool Contains(string key)
        {
            lock (_gate) return _keys.Contains(key);
        }

        /// <summary>Records one acknowledged batch: one write, flushed through to the disk.</summary>
        public void Append(string requestId, IReadOnlyList<string> keys)
        {
            var text = new StringBuilder(keys.Count * 64 + 80);
            text.Append("B\t").Append(DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture))
                .Append('\t').Append(requestId).Append('\t').Append(keys.Count).Append('\n');
            foreach (string key in keys) text.Append("E\t").Append(key).Append('\n');
            lock (_gate)
            {
                WriteRaw(text.ToString());
                foreach (string key in keys) _keys.Add(key);
            }
        }

        private void WriteRaw(string text)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            _stream.Write(bytes, 0, bytes.Length);
            _stream.Flush(flushToDisk: true);
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _stream.Dispose();
                _lock.Dispose();
            }
        }
    }
}
