using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.Data.Sqlite;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>
    /// Reads a journal's runs and events, read-only. It takes no lock of its own: SQLite's WAL gives it a consistent
    /// snapshot while a run appends, so it works while Send-OfflineEvent holds the journal.
    /// </summary>
    public sealed class DeliveryHistory : IDisposable
    {
        private readonly SqliteConnection _db;

        private DeliveryHistory(string path, SqliteConnection db)
        {
            Path = path;
            _db = db;
        }

        public string Path { get; }

        /// <summary>Opens a journal for reading. FileNotFoundException when there is none; InvalidDataException for a file that is not one.</summary>
        public static DeliveryHistory Open(string path)
        {
            string full = System.IO.Path.GetFullPath(path);
            if (!File.Exists(full)) throw new FileNotFoundException($"There is no journal at '{full}'.", full);
            SqliteConnection? db = null;
            try
            {
                db = ConnectReadOnly(full);
                long appId = DeliveryJournal.Scalar(db, "PRAGMA application_id");
                long version = DeliveryJournal.Scalar(db, "PRAGMA user_version");
                if (appId != DeliveryJournal.ApplicationId)
                {
                    // A new journal that its first run has not written yet is empty: nothing to list, not an error.
                    if (new FileInfo(full).Length == 0 || DeliveryJournal.Scalar(db, "SELECT count(*) FROM sqlite_master") == 0 && appId == 0) return new DeliveryHistory(full, db);
                    throw new InvalidDataException($"'{full}' is not an OfflineEvents.PS journal.");
                }
                if (version > DeliveryJournal.SchemaVersion) throw new InvalidDataException($"The journal '{full}' was written by a newer OfflineEvents.PS (journal schema {version}). Update the module.");
                return new DeliveryHistory(full, db);
            }
            catch (SqliteException ex)
            {
                db?.Dispose();
                if (ex.SqliteErrorCode == 26) throw new InvalidDataException(TextJournalOrOther(full), ex); // SQLITE_NOTADB
                throw new IOException($"The journal '{full}' cannot be read: {ex.Message}", ex);
            }
            catch
            {
                db?.Dispose();
                throw;
            }
        }

        private static SqliteConnection ConnectReadOnly(string path)
        {
            var db = DeliveryJournal.Connect(path, SqliteOpenMode.ReadOnly);
            try
            {
                DeliveryJournal.Scalar(db, "SELECT count(*) FROM sqlite_master"); // SQLite opens the file at the first read
                return db;
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == 14 && !HasWalContent(path))
            {
                db.Dispose();
                // SQLITE_CANTOPEN: a WAL journal on a read-only disk, where SQLite cannot make its -shm file. With no
                // WAL content nobody is writing it (nobody can), so it is read as an immutable file.
                return DeliveryJournal.Connect(new Uri(path).AbsoluteUri + "?immutable=1", SqliteOpenMode.ReadOnly);
            }
            catch
            {
                db.Dispose();
                throw;
            }
        }

        private static bool HasWalContent(string path)
        {
            var wal = new FileInfo(path + "-wal");
            return wal.Exists && wal.Length > 0;
        }

        private static string TextJournalOrOther(string path)
        {
            try
            {
                using var reader = new StreamReader(path);
                if ((reader.ReadLine() ?? string.Empty).StartsWith(DeliveryJournal.TextJournalHeader, StringComparison.Ordinal))
                {
                    return $"'{path}' is a text journal of an earlier OfflineEvents.PS, which recorded no delivery history.";
                }
            }
            catch (IOException)
            {
            }
            return $"'{path}' is not an OfflineEvents.PS journal.";
        }

        private bool HasSchema => DeliveryJournal.Scalar(_db, "SELECT count(*) FROM sqlite_master WHERE name = 'runs'") > 0;

        private bool HasTable(string name) => DeliveryJournal.HasTable(_db, name);

        /// <summary>Runs started at or after <paramref name="since"/>, oldest first; the last <paramref name="last"/> of them when given.</summary>
        public IReadOnlyList<DeliveryRun> Runs(DateTime? since, int? last) => Read(() => ReadRuns(since, last));

        /// <summary>The journaled events of these orders, in the order they were sent; the last <paramref name="last"/> when given.</summary>
        public IReadOnlyList<DeliveredEvent> Orders(IReadOnlyCollection<string> orderIds, DateTime? since, int? last) => Read(() => ReadOrders(orderIds, since, last));

        /// <summary>SQLite's errors as the IOException the cmdlet reports (a file damaged, or changed between two reads: a
        /// run that upgrades it drops the table of schema 4 this reader may just have found).</summary>
        private T Read<T>(Func<T> read)
        {
            try
            {
                return read();
            }
            catch (SqliteException ex)
            {
                throw new IOException($"The journal '{Path}' could not be read: {ex.Message} Try again; if it persists, the file is damaged.", ex);
            }
        }

        private IReadOnlyList<DeliveryRun> ReadRuns(DateTime? since, int? last)
        {
            var runs = new List<DeliveryRun>();
            if (!HasSchema) return runs;
            bool held = JournalLock.IsHeld(Path);
            long open = DeliveryJournal.Scalar(_db, "SELECT ifnull(max(id), 0) FROM runs WHERE ended_at IS NULL");
            using var query = _db.CreateCommand();
            query.CommandText = "SELECT * FROM (SELECT r.id, r.started_at, r.ended_at, r.event_set_id, r.inputs, r.outcome, r.read, r.delivered, r.skipped, r.rejected, r.not_sent, "
                + "(SELECT count(*) FROM batches b WHERE b.run_id = r.id), (SELECT group_concat(request_id, '; ') FROM batches b WHERE b.run_id = r.id) "
                + "FROM runs r WHERE r.started_at >= $since ORDER BY r.id DESC LIMIT $last) ORDER BY 1";
            query.Parameters.AddWithValue("$since", since.HasValue ? ToMs(since.Value) : long.MinValue);
            query.Parameters.AddWithValue("$last", last ?? -1);
            using var r = query.ExecuteReader();
            while (r.Read())
            {
                long id = r.GetInt64(0);
                DateTime? ended = r.IsDBNull(2) ? (DateTime?)null : FromMs(r.GetInt64(2));
                // A run without an end is the one holding the journal now (the newest open one), or one that was killed.
                string outcome = !r.IsDBNull(5) ? r.GetString(5) : held && id == open ? "Running" : "Interrupted";
                runs.Add(new DeliveryRun(id, FromMs(r.GetInt64(1)), ended, r.GetString(3), r.GetString(4).Replace("\n", "; "), outcome,
                    NullableLong(r, 6), r.GetInt64(7), NullableLong(r, 8), NullableLong(r, 9), NullableLong(r, 10), r.GetInt32(11),
                    r.IsDBNull(12) ? string.Empty : r.GetString(12), Path));
            }
            return runs;
        }

        private IReadOnlyList<DeliveredEvent> ReadOrders(IReadOnlyCollection<string> orderIds, DateTime? since, int? last)
        {
            var events = new List<DeliveredEvent>();
            if (orderIds.Count == 0 || !HasSchema) return events;
            using var query = _db.CreateCommand();
            query.CommandText = "SELECT * FROM (SELECT e.order_id, s.event_set_id, s.event, e.event_id, b.sent_at, b.request_id, b.run_id, b.id AS batch "
                + "FROM (" + string.Join(" UNION ALL ", Levels().Select(level => $"SELECT stream, event_id, order_id, batch_id FROM {level} WHERE order_id IN (SELECT value FROM json_each($orders))"))
                + ") e JOIN streams s ON s.id = e.stream JOIN batches b ON b.id = e.batch_id "
                + "WHERE b.sent_at >= $since ORDER BY b.id DESC, e.order_id DESC, e.event_id DESC LIMIT $last) ORDER BY batch, order_id, event_id";
            query.Parameters.AddWithValue("$orders", System.Text.Json.JsonSerializer.Serialize(orderIds));
            query.Parameters.AddWithValue("$since", since.HasValue ? ToMs(since.Value) : long.MinValue);
            query.Parameters.AddWithValue("$last", last ?? -1);
            using var r = query.ExecuteReader();
            while (r.Read())
            {
                events.Add(new DeliveredEvent(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), FromMs(r.GetInt64(4)), r.GetString(5), r.GetInt64(6)));
            }
            return events;
        }

        /// <summary>Where events are, each as a table or subquery of (stream, event_id, order_id, batch_id): events, recent
        /// (schema 4: the small level nightly runs go to) and a run's events until it closes the journal: pending_batches
        /// (schema 5) or pending (schema 3 and 4; this reader upgrades nothing).</summary>
        private IEnumerable<string> Levels()
        {
            yield return "events";
            if (HasTable("recent")) yield return "recent";
            if (HasTable("pending_batches")) yield return $"({DeliveryJournal.PendingEvents})";
            if (HasTable("pending")) yield return "pending";
        }

        private static long? NullableLong(SqliteDataReader r, int i) => r.IsDBNull(i) ? (long?)null : r.GetInt64(i);

        private static DateTime FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime;

        private static long ToMs(DateTime time) =>
            new DateTimeOffset(time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Local) : time).ToUnixTimeMilliseconds();

        public void Dispose() => _db.Dispose();
    }
}
