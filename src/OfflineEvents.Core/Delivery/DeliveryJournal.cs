using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>
    /// The record of the events TikTok acknowledged, so a rerun sends only what is new; and of the runs that
    /// sent them. An SQLite database (WAL mode): keys are indexed on disk, so a run's memory does not grow with
    /// the journal. Each acknowledged batch is one transaction, committed (WAL, synchronous=NORMAL) before the batch
    /// counts as delivered, so a process killed at any moment loses nothing acknowledged: the batch in flight
    /// is sent again and TikTok deduplicates it by event_id. A run's batches are appended unindexed and indexed when it
    /// closes the journal (or, after a kill, when the next run opens it): see PendingBatchesTable. A run holds the journal from open to close
    /// (<see cref="JournalLock"/>); readers (Get-OfflineEventDelivery) use SQLite's WAL snapshots and never wait.
    /// Keys, ids, times and counts only, never PII. Schema version: PRAGMA user_version.
    /// </summary>
    public sealed class DeliveryJournal : IDisposable
    {
        /// <summary>PRAGMA application_id of a journal: "OEPS".</summary>
        internal const int ApplicationId = 0x4F455053;
        // 5: pending_batches replaces pending (see Append). 4: the recent table (see MergePending). 3: the pending table.
        // 2: event ids come from orders (oe2-). A journal of 1 holds ids this version never sends, so it is refused; one of
        // 2, 3 or 4 is brought to 5 in place when a run opens it (see Upgrade).
        internal const int SchemaVersion = 5;

        /// <summary>How many events the recent table holds before a close folds it into events (see MergePending).</summary>
        internal const long DefaultRecentLimit = 50_000;
        internal const string TextJournalHeader = "# OfflineEvents.PS delivery journal v1";

        private static readonly string[] Schema =
        {
            "CREATE TABLE meta(name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID",
            "INSERT INTO meta VALUES('events', 0)",
            // One row per run; counts are filled in at its end (a run killed before that keeps ended_at NULL).
            "CREATE TABLE runs(id INTEGER PRIMARY KEY, started_at INTEGER NOT NULL, ended_at INTEGER, event_set_id TEXT NOT NULL, inputs TEXT NOT NULL DEFAULT '', "
                + "outcome TEXT, read INTEGER, delivered INTEGER NOT NULL DEFAULT 0, skipped INTEGER, rejected INTEGER, not_sent INTEGER)",
            "CREATE TABLE batches(id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, request_id TEXT NOT NULL, sent_at INTEGER NOT NULL, events INTEGER NOT NULL)",
            "CREATE INDEX batches_run ON batches(run_id)",
            // Event set + event: a handful per journal, so each event row carries a small number instead of both strings.
            "CREATE TABLE streams(id INTEGER PRIMARY KEY, event_set_id TEXT NOT NULL, event TEXT NOT NULL, UNIQUE(event_set_id, event))",
            "CREATE TABLE events(stream INTEGER NOT NULL, event_id TEXT NOT NULL, order_id TEXT, batch_id INTEGER NOT NULL, PRIMARY KEY(stream, event_id)) WITHOUT ROWID",
            OrderIndex,
            PendingBatchesTable,
            RecentTable,
            RecentOrderIndex,
            $"PRAGMA application_id = {ApplicationId}",
            $"PRAGMA user_version = {SchemaVersion}",
        };

        private const string OrderIndex = "CREATE INDEX events_order ON events(order_id) WHERE order_id IS NOT NULL";

        // Acknowledged batches wait here, in the order they came, and are moved into an indexed level in key order when
        // the run closes the journal, or when the next run opens it after a kill (see MergePending). Random event ids
        // inserted straight into events dirtied about one index page per event, each written to the WAL at every batch's
        // commit and again at the checkpoint: Send -Path of the 50 MB export with a new journal took 6.1 s against 2.4 s
        // without one (schema 3 appended instead). Schema 5: one row per batch and event name, its events a JSON array of
        // [event_id, order_id] pairs that json_each opens at the move. A row per event, through Microsoft.Data.Sqlite's
        // prepared statement, cost 2.6 us each (0.9 s for the 344,042 events of the 50 MB export, on an idle machine);
        // a row per batch 0.13 s, and opening the JSON made the move 0.1-0.2 s slower.
        private const string PendingBatchesTable = "CREATE TABLE IF NOT EXISTS pending_batches(batch_id INTEGER NOT NULL, stream INTEGER NOT NULL, count INTEGER NOT NULL, events TEXT NOT NULL)";

        // The events of pending_batches as rows of the level tables.
        internal const string PendingEvents = "SELECT p.stream, j.value ->> 0 AS event_id, j.value ->> 1 AS order_id, p.batch_id FROM pending_batches p, json_each(p.events) j";

        // Schema 4: a second, small level of events (same key), where a run's pending events go when events is big. Event
        // ids are random, so moving a night's 5,000 events into a 5,000,000-event tree dirtied about 5,000 of its pages
        // (each written to the WAL, then again by the checkpoint); into a tree of at most RecentLimit events, at most
        // its few hundred pages. Lookups and history read both levels; a close that would take recent past RecentLimit
        // folds it into events instead (see MergePending for what that costs).
        private const string RecentTable = "CREATE TABLE IF NOT EXISTS recent(stream INTEGER NOT NULL, event_id TEXT NOT NULL, order_id TEXT, batch_id INTEGER NOT NULL, PRIMARY KEY(stream, event_id)) WITHOUT ROWID";
        private const string RecentOrderIndex = "CREATE INDEX IF NOT EXISTS recent_order ON recent(order_id) WHERE order_id IS NOT NULL";

        private readonly JournalLock _lock;
        // Null for a preview (-WhatIf): nothing is written.
        private readonly SqliteConnection? _write;
        private readonly SqliteConnection _read;
        private readonly object _writeGate = new object();
        private readonly object _readGate = new object();
        private readonly Dictionary<string, long> _streams = new Dictionary<string, long>(StringComparer.Ordinal);
        private readonly SqliteCommand _lookup;
        private long _added;
        // A preview of an empty file: no tables to look in.
        private bool _holdsNothing;
        private long _runId;

        private DeliveryJournal(string path, JournalLock fileLock, SqliteConnection? write, SqliteConnection read, IEnumerable<string> levels)
        {
            Path = path;
            _lock = fileLock;
            _write = write;
            _read = read;
            _lookup = read.CreateCommand();
            // One statement per batch of keys, each found through the primary key of every level; measured against one
            // query per key (see the README's journal figures).
            _lookup.CommandText = string.Join(" UNION ALL ", levels.Select(level => $"SELECT event_id FROM {level} WHERE stream = $stream AND event_id IN (SELECT value FROM json_each($ids))"));
            _lookup.Parameters.Add("$stream", SqliteType.Integer);
            _lookup.Parameters.Add("$ids", SqliteType.Text);
        }

        /// <summary>True for a journal opened by <see cref="OpenPreview"/>.</summary>
        public bool IsPreview => _write == null;

        private SqliteConnection Writer => _write ?? throw new InvalidOperationException("A journal opened for -WhatIf (OpenPreview) writes nothing.");

        public string Path { get; }

        /// <summary>Events the journal held when it was opened (after pruning).</summary>
        public long LoadedCount { get; private set; }

        /// <summary>The most events the recent level holds before a close folds it into events; tests set it small.</summary>
        internal long RecentLimit { get; set; } = DefaultRecentLimit;

        /// <summary>Records removed by -JournalRetentionDays when the journal was opened.</summary>
        public long PrunedCount { get; private set; }

        /// <summary>The SQLite version the journal runs on (the bundled native library's).</summary>
        public string SqliteVersion => _read.ServerVersion;

        public static string Key(string eventSetId, string eventName, string eventId) => eventSetId + "\t" + eventName + "\t" + eventId;

        /// <summary>Opens (or creates) the journal without waiting for another run. See <see cref="Open(string, TimeSpan, int?)"/>.</summary>
        public static DeliveryJournal Open(string path) => Open(path, TimeSpan.Zero, null);

        /// <summary>
        /// Opens (or creates) the journal and holds it until disposed. Throws <see cref="JournalBusyException"/> when
        /// another run still holds it after <paramref name="wait"/>, <see cref="InvalidDataException"/> for a file that
        /// is not a journal (nothing is written to it), <see cref="JournalWriteException"/> when it cannot be written.
        /// <paramref name="retentionDays"/> prunes runs and events older than that many days (plus one day's margin); null keeps everything.
        /// </summary>
        public static DeliveryJournal Open(string path, TimeSpan wait, int? retentionDays)
        {
            string full = System.IO.Path.GetFullPath(path);
            try
            {
                string? directory = System.IO.Path.GetDirectoryName(full);
                if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new JournalWriteException(full, ex.Message, ex);
            }
            JournalLock fileLock = Lock(full, wait);
            SqliteConnection? write = null, read = null;
            try
            {
                // Checked under the lock (opening the file writes nothing): an old text journal or any other file is refused as it is.
                RefuseForeignHead(full, fileLock.ReadHead(64));
                write = Connect(full, SqliteOpenMode.ReadWrite);
                Prepare(write, full);
                read = Connect(full, SqliteOpenMode.ReadOnly);
                var journal = new DeliveryJournal(full, fileLock, write, read, new[] { "events", "recent" });
                journal.MergePending(); // what a killed run appended
                if (retentionDays.HasValue) journal.Prune(retentionDays.Value);
                journal.LoadedCount = journal.Scalar("SELECT value FROM meta WHERE name = 'events'");
                return journal;
            }
            catch (Exception ex)
            {
                read?.Dispose();
                write?.Dispose();
                fileLock.Dispose();
                if (ex is SqliteException sqlite) throw Translated(sqlite, full);
                throw;
            }
        }

        /// <summary>
        /// Opens an existing journal for -WhatIf, which changes no state: it is held as a run holds it (the same wait and
        /// errors), read only, and neither upgraded nor pruned, nor are a killed run's pending events moved; they are found
        /// through a temporary index of this connection instead, so the preview skips what the run would skip.
        /// </summary>
        public static DeliveryJournal OpenPreview(string path, TimeSpan wait)
        {
            string full = System.IO.Path.GetFullPath(path);
            JournalLock fileLock = Lock(full, wait);
            SqliteConnection? read = null;
            try
            {
                RefuseForeignHead(full, fileLock.ReadHead(64));
                read = Connect(full, SqliteOpenMode.ReadOnly);
                var levels = new List<string>();
                long loaded = 0;
                bool empty = CheckSchema(read, full);
                if (!empty)
                {
                    levels.Add("events");
                    if (HasTable(read, "recent")) levels.Add("recent");
                    loaded = Scalar(read, "SELECT value FROM meta WHERE name = 'events'");
                    // A killed run's events (schema 5, or 3 and 4), which a run would move into the index first.
                    string? pending = HasTable(read, "pending_batches") ? PendingEvents : HasTable(read, "pending") ? "SELECT stream, event_id FROM pending" : null;
                    if (pending != null)
                    {
                        Execute(read, "CREATE TEMP TABLE preview_pending(stream INTEGER NOT NULL, event_id TEXT NOT NULL, PRIMARY KEY(stream, event_id)) WITHOUT ROWID");
                        Execute(read, $"INSERT OR IGNORE INTO temp.preview_pending SELECT stream, event_id FROM ({pending})");
                        long killed = Scalar(read, "SELECT count(*) FROM temp.preview_pending");
                        if (killed > 0) levels.Add("temp.preview_pending");
                        loaded += killed;
                    }
                }
                // An empty file (a new journal) has no level to look in: FindDelivered answers from _holdsNothing.
                return new DeliveryJournal(full, fileLock, null, read, levels) { LoadedCount = loaded, _holdsNothing = empty };
            }
            catch (Exception ex)
            {
                read?.Dispose();
                fileLock.Dispose();
                if (ex is SqliteException sqlite) throw Translated(sqlite, full);
                throw;
            }
        }

        /// <summary>Holds the journal as a run does, waiting up to <paramref name="wait"/> for another.</summary>
        private static JournalLock Lock(string full, TimeSpan wait)
        {
            try
            {
                return JournalLock.Acquire(full, wait);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException || (ex is IOException && !(ex is JournalBusyException)))
            {
                throw new JournalWriteException(full, ex.Message, ex);
            }
        }

        private static Exception Translated(SqliteException ex, string full) =>
            ex.SqliteErrorCode == 26 // SQLITE_NOTADB
                ? new InvalidDataException(NotAJournal(full), ex)
                : new JournalWriteException(full, ex.Message, ex);

        internal static bool HasTable(SqliteConnection connection, string name)
        {
            using var query = connection.CreateCommand();
            query.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
            query.Parameters.AddWithValue("$name", name);
            return Convert.ToInt64(query.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
        }

        internal static SqliteConnection Connect(string path, SqliteOpenMode mode)
        {
            // No pooling: a pooled connection keeps the file open after Dispose, past the run's lock.
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false, DefaultTimeout = 30 }.ToString());
            connection.Open();
            Execute(connection, "PRAGMA busy_timeout = 10000");
            return connection;
        }

        /// <summary>Refuses, before anything is written, a file that is neither empty nor an SQLite database: an old text journal or anything else.</summary>
        internal static void RefuseForeignHead(string path, byte[] head)
        {
            if (head.Length == 0) return;
            string text = Encoding.UTF8.GetString(head, 0, head.Length);
            if (text.StartsWith(TextJournalHeader, StringComparison.Ordinal))
            {
                throw new InvalidDataException(
                    $"'{path}' is a text journal of an earlier OfflineEvents.PS; this version keeps its journal in a database and leaves that file as it is. "
                    + "Give -JournalPath a new file name: events the old journal lists are then sent once more and TikTok deduplicates them by event_id (same event set, event and event_id). "
                    + "Keep the old file until that run has finished.");
            }
            if (!text.StartsWith("SQLite format 3\0", StringComparison.Ordinal)) throw new InvalidDataException(NotAJournal(path));
        }

        private static string NotAJournal(string path) =>
            $"'{path}' is not an OfflineEvents.PS journal; it was left as it is. Give -JournalPath a new file or an existing journal.";

        /// <summary>True for a file with nothing in it yet (a new journal); throws for one this version must not touch.</summary>
        private static bool CheckSchema(SqliteConnection connection, string path)
        {
            long appId = Scalar(connection, "PRAGMA application_id");
            long version = Scalar(connection, "PRAGMA user_version");
            long tables = Scalar(connection, "SELECT count(*) FROM sqlite_master");
            if (appId == 0 && version == 0 && tables == 0) return true;
            if (appId != ApplicationId)
            {
                throw new InvalidDataException($"'{path}' is an SQLite database but not an OfflineEvents.PS journal; it was left as it is. Give -JournalPath a new file or an existing journal.");
            }
            if (version > SchemaVersion)
            {
                throw new InvalidDataException($"The journal '{path}' was written by a newer OfflineEvents.PS (journal schema {version}; this version reads {SchemaVersion}); it was left as it is. Update the module.");
            }
            if (version < 2)
            {
                throw new InvalidDataException($"The journal '{path}' was written by an earlier OfflineEvents.PS (journal schema {version}; this version reads {SchemaVersion}), "
                    + "which gave every row its own event id; this version sends an order as one event with an id of its own, so that journal cannot say what was sent. "
                    + "It was left as it is. Give -JournalPath a new file: a first run with it sends every event again under its new id (TikTok keeps the ones it has by their old ids, "
                    + "so send only exports not sent before, or keep using the earlier module for those). Get-OfflineEventDelivery still reads the old journal.");
            }
            return false;
        }

        private static void Prepare(SqliteConnection connection, string path)
        {
            if (CheckSchema(connection, path))
            {
                // A new journal. The page size is fixed before the first table: JournalLock's Windows byte relies on it.
                Execute(connection, "PRAGMA page_size = 4096");
                Execute(connection, "PRAGMA journal_mode = WAL");
                using var create = connection.BeginTransaction();
                foreach (string statement in Schema) Execute(connection, statement, create);
                create.Commit();
            }
            else if (Scalar(connection, "PRAGMA user_version") < SchemaVersion)
            {
                Upgrade(connection);
            }
            Execute(connection, "PRAGMA journal_mode = WAL");
            // NORMAL in WAL mode: a committed batch survives the process being killed at any moment (kill -9, a crash);
            // only a power cut or an OS crash can undo the last commits, and their events are then sent again and
            // deduplicated by TikTok. FULL's fsync per batch cost about a fifth of a batch's journal time here.
            Execute(connection, "PRAGMA synchronous = NORMAL");
            // 16 MB of page cache: random keys touch a new page each; measured 19 ms per batch against 24 with the default 2 MB.
            Execute(connection, "PRAGMA cache_size = -16384");
            // Checkpoints every 64 MB of WAL instead of SQLite's 4 MB: a 1,000-event batch dirties about that many pages,
            // so the default copied nearly every batch back into the database. Send -Path of the 50 MB export with a new
            // journal: 9.4 -> 6.7 s (second run in one process; 2.5 s without a journal).
            Execute(connection, "PRAGMA wal_autocheckpoint = 16384");
        }

        /// <summary>
        /// Brings a journal of schema 2, 3 or 4 to 5 in place, in one transaction: the events stay where they are.
        /// 2 lacks the recent level (4); 3 and 4 keep a killed run's events in pending, a row per event, which become
        /// pending_batches' rows, a row per batch and event, as this version appends them.
        /// </summary>
        private static void Upgrade(SqliteConnection connection)
        {
            using var upgrade = connection.BeginTransaction();
            Execute(connection, RecentTable, upgrade);
            Execute(connection, RecentOrderIndex, upgrade);
            Execute(connection, PendingBatchesTable, upgrade);
            if (Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'pending'", upgrade) > 0)
            {
                Execute(connection, "INSERT INTO pending_batches(batch_id, stream, count, events) SELECT batch_id, stream, count(*), json_group_array(json_array(event_id, order_id)) "
                    + "FROM pending GROUP BY batch_id, stream ORDER BY batch_id", upgrade);
                Execute(connection, "DROP TABLE pending", upgrade);
            }
            Execute(connection, $"PRAGMA user_version = {SchemaVersion}", upgrade);
            upgrade.Commit();
        }

        public int Count => (int)Math.Min(int.MaxValue, LoadedCount + System.Threading.Interlocked.Read(ref _added));

        public bool Contains(string key)
        {
            SplitKey(key, out string set, out string name, out string id);
            return FindDelivered(set, name, new[] { id }).Count > 0;
        }

        /// <summary>Which of these event ids (of one event set and event) earlier runs delivered. Any thread. This run's own
        /// appends are pending until the journal closes and not seen here (EventDelivery remembers what it sent itself).</summary>
        public HashSet<string> FindDelivered(string eventSetId, string eventName, IReadOnlyCollection<string> eventIds)
        {
            var found = new HashSet<string>(StringComparer.Ordinal);
            if (eventIds.Count == 0 || _holdsNothing) return found;
            lock (_readGate)
            {
                try
                {
                    long? stream = FindStream(eventSetId, eventName);
                    if (stream == null) return found;
                    _lookup.Parameters[0].Value = stream.Value;
                    _lookup.Parameters[1].Value = JsonArray(eventIds);
                    using var reader = _lookup.ExecuteReader();
                    while (reader.Read()) found.Add(reader.GetString(0));
                    return found;
                }
                catch (SqliteException ex)
                {
                    throw new JournalWriteException(Path, "reading it failed: " + ex.Message, ex);
                }
            }
        }

        /// <summary>The ids as a JSON array for json_each. Written with Utf8JsonWriter: JsonSerializer's first call (its
        /// reflection metadata) cost a run's first lookup about 20 ms.</summary>
        private static string JsonArray(IReadOnlyCollection<string> values)
        {
            var buffer = new MemoryStream(values.Count * 40 + 2);
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartArray();
                foreach (string value in values) json.WriteStringValue(value);
                json.WriteEndArray();
            }
            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }

        /// <summary>Starts a run record; the batches appended after it belong to it.</summary>
        public void BeginRun(string eventSetId) => WriteTransaction(tx => BeginRunIn(tx, eventSetId));

        /// <summary>Closes the run record with its counts and inputs (file paths; "(pipeline)" for objects).</summary>
        public void EndRun(string outcome, IEnumerable<string> inputs, long read, long delivered, long skipped, long rejected, long notSent)
        {
            if (_runId == 0) return;
            WriteTransaction(tx =>
            {
                using var update = Command("UPDATE runs SET ended_at = $now, outcome = $outcome, inputs = $inputs, read = $read, delivered = $delivered, "
                    + "skipped = $skipped, rejected = $rejected, not_sent = $notSent WHERE id = $run", tx);
                update.Parameters.AddWithValue("$now", NowMs());
                update.Parameters.AddWithValue("$outcome", outcome);
                update.Parameters.AddWithValue("$inputs", string.Join("\n", inputs));
                update.Parameters.AddWithValue("$read", read);
                update.Parameters.AddWithValue("$delivered", delivered);
                update.Parameters.AddWithValue("$skipped", skipped);
                update.Parameters.AddWithValue("$rejected", rejected);
                update.Parameters.AddWithValue("$notSent", notSent);
                update.Parameters.AddWithValue("$run", _runId);
                update.ExecuteNonQuery();
            });
            _runId = 0;
        }

        /// <summary>Records one acknowledged batch (keys from <see cref="Key"/>), in one transaction.</summary>
        public void Append(string requestId, IReadOnlyList<string> keys)
        {
            var entries = new List<JournalEntry>(keys.Count);
            foreach (string key in keys)
            {
                SplitKey(key, out string set, out string name, out string id);
                entries.Add(new JournalEntry(set, name, id, null));
            }
            Append(requestId, entries);
        }

        /// <summary>Records one acknowledged batch, in one transaction committed to disk before this returns. Any thread.</summary>
        internal void Append(string requestId, IReadOnlyList<JournalEntry> entries)
        {
            if (entries.Count == 0) return;
            WriteTransaction(tx =>
            {
                if (_runId == 0) BeginRunIn(tx, entries[0].EventSetId);
                using var batch = Command("INSERT INTO batches(run_id, request_id, sent_at, events) VALUES($run, $request, $now, $count); SELECT last_insert_rowid()", tx);
                batch.Parameters.AddWithValue("$run", _runId);
                batch.Parameters.AddWithValue("$request", requestId ?? string.Empty);
                batch.Parameters.AddWithValue("$now", NowMs());
                batch.Parameters.AddWithValue("$count", entries.Count);
                long batchId = (long)batch.ExecuteScalar()!;
                // One row per event name in the batch (see PendingBatchesTable).
                foreach (var group in GroupByStream(entries))
                {
                    using var insert = Command("INSERT INTO pending_batches(batch_id, stream, count, events) VALUES($batch, $stream, $count, $events)", tx);
                    insert.Parameters.AddWithValue("$batch", batchId);
                    insert.Parameters.AddWithValue("$stream", EnsureStream(group.Key.Set, group.Key.Name, tx));
                    insert.Parameters.AddWithValue("$count", group.Value.Count);
                    insert.Parameters.AddWithValue("$events", PendingJson(group.Value));
                    insert.ExecuteNonQuery();
                }
                using var counts = Command("UPDATE runs SET delivered = delivered + $count WHERE id = $run", tx);
                counts.Parameters.AddWithValue("$count", entries.Count);
                counts.Parameters.AddWithValue("$run", _runId);
                counts.ExecuteNonQuery();
                System.Threading.Interlocked.Add(ref _added, entries.Count);
            });
        }

        /// <summary>A batch's events of one name as pending_batches keeps them: [[event_id, order_id], ...], order_id null when there is none.</summary>
        private static string PendingJson(List<JournalEntry> entries)
        {
            var buffer = new MemoryStream(entries.Count * 64 + 2);
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartArray();
                foreach (var e in entries)
                {
                    json.WriteStartArray();
                    json.WriteStringValue(e.EventId);
                    if (e.OrderId == null) json.WriteNullValue();
                    else json.WriteStringValue(e.OrderId);
                    json.WriteEndArray();
                }
                json.WriteEndArray();
            }
            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }

        /// <summary>
        /// Moves the pending events into an indexed level in key order, in one transaction (a kill during it leaves them
        /// pending, for the next open). An event already in that level (sent again after a 40050) is kept once.
        /// Into recent when events is the bigger level and recent stays within RecentLimit: a nightly run's close. Else
        /// pending and recent together into events (a fold): a first run or a backfill, whose events are most of the tree
        /// anyway, or every RecentLimit events or so of nightly runs, a close that costs about what the nights since the
        /// last fold saved (see the README's journal figures). An event reaches pending only after a lookup of both levels
        /// missed it, so the levels never hold the same event.
        /// </summary>
        private void MergePending()
        {
            // Read first: a journal with nothing pending is not written to (it may be read-only, or a newer run's).
            lock (_writeGate)
            {
                if (_write == null || Scalar(_write, "SELECT EXISTS(SELECT 1 FROM pending_batches)") == 0) return;
            }
            WriteTransaction(tx =>
            {
                long limit = RecentLimit;
                long recent = Scalar(Writer, "SELECT count(*) FROM recent", tx);
                long indexed = Scalar(Writer, "SELECT value FROM meta WHERE name = 'events'", tx) - recent;
                long pending = Scalar(Writer, "SELECT ifnull(sum(count), 0) FROM pending_batches", tx);
                bool intoRecent = indexed >= limit && recent + pending <= limit;
                // A fold at least as big as the tree it goes into (a first run, a backfill): the order-id index is built
                // again after the move, in one sorted pass, instead of updated row by row in event-id order, which is
                // random for it. Measured on 400,000 events with order ids into an empty journal (the same statements, SQLite 3.40): 1.7-2.0 s -> 1.2 s.
                bool rebuildOrderIndex = !intoRecent && recent + pending >= indexed;
                if (rebuildOrderIndex) Execute(Writer, "DROP INDEX events_order", tx);
                using var move = Command(intoRecent
                    ? $"INSERT OR IGNORE INTO recent(stream, event_id, order_id, batch_id) SELECT stream, event_id, order_id, batch_id FROM ({PendingEvents}) ORDER BY stream, event_id"
                    : "INSERT OR IGNORE INTO events(stream, event_id, order_id, batch_id) SELECT stream, event_id, order_id, batch_id FROM "
                        + $"({PendingEvents} UNION ALL SELECT stream, event_id, order_id, batch_id FROM recent) ORDER BY stream, event_id", tx);
                long moved = move.ExecuteNonQuery();
                if (rebuildOrderIndex) Execute(Writer, OrderIndex, tx);
                // The fold moved recent's events too: they were counted already.
                long added = intoRecent ? moved : moved - recent;
                using var rest = Command((intoRecent ? string.Empty : "DELETE FROM recent; ") + "DELETE FROM pending_batches; UPDATE meta SET value = value + $added WHERE name = 'events'", tx);
                rest.Parameters.AddWithValue("$added", added);
                rest.ExecuteNonQuery();
            });
        }

        private void BeginRunIn(SqliteTransaction tx, string eventSetId)
        {
            using var insert = Command("INSERT INTO runs(started_at, event_set_id) VALUES($now, $set); SELECT last_insert_rowid()", tx);
            insert.Parameters.AddWithValue("$now", NowMs());
            insert.Parameters.AddWithValue("$set", eventSetId);
            _runId = (long)insert.ExecuteScalar()!;
        }

        /// <summary>
        /// Removes runs, batches and events sent before the window (plus a day, so that an event stamped a little
        /// after it was sent is refused as too old before its key is gone). Events are removed by batch: batch ids
        /// grow with time, so one comparison covers them.
        /// </summary>
        private void Prune(int days)
        {
            long cutoff = NowMs() - (days + 1L) * 86_400_000L;
            WriteTransaction(tx =>
            {
                using var first = Command("SELECT ifnull((SELECT min(id) FROM batches WHERE sent_at >= $cutoff), (SELECT ifnull(max(id), 0) + 1 FROM batches))", tx);
                first.Parameters.AddWithValue("$cutoff", cutoff);
                long keepFrom = (long)first.ExecuteScalar()!;
                long removed = 0;
                foreach (string level in new[] { "events", "recent" })
                {
                    using var events = Command($"DELETE FROM {level} WHERE batch_id < $keep", tx);
                    events.Parameters.AddWithValue("$keep", keepFrom);
                    removed += events.ExecuteNonQuery();
                }
                using var rest = Command("DELETE FROM pending_batches WHERE batch_id < $keep; DELETE FROM batches WHERE id < $keep; DELETE FROM runs WHERE started_at < $cutoff AND (ended_at IS NOT NULL OR id NOT IN (SELECT run_id FROM batches)); "
                    + "UPDATE meta SET value = max(0, value - $removed) WHERE name = 'events'", tx);
                rest.Parameters.AddWithValue("$keep", keepFrom);
                rest.Parameters.AddWithValue("$cutoff", cutoff);
                rest.Parameters.AddWithValue("$removed", removed);
                rest.ExecuteNonQuery();
                PrunedCount = removed;
            });
        }

        private static Dictionary<(string Set, string Name), List<JournalEntry>> GroupByStream(IReadOnlyList<JournalEntry> entries)
        {
            var groups = new Dictionary<(string, string), List<JournalEntry>>();
            foreach (var e in entries)
            {
                if (!groups.TryGetValue((e.EventSetId, e.EventName), out var list)) groups[(e.EventSetId, e.EventName)] = list = new List<JournalEntry>();
                list.Add(e);
            }
            return groups;
        }

        private long? FindStream(string eventSetId, string eventName)
        {
            string name = eventSetId + "\t" + eventName;
            lock (_streams)
            {
                if (_streams.TryGetValue(name, out long id)) return id;
            }
            using var find = _read.CreateCommand();
            find.CommandText = "SELECT id FROM streams WHERE event_set_id = $set AND event = $event";
            find.Parameters.AddWithValue("$set", eventSetId);
            find.Parameters.AddWithValue("$event", eventName);
            object? found = find.ExecuteScalar();
            if (found == null) return null; // not cached: this run may add it
            lock (_streams) _streams[name] = (long)found;
            return (long)found;
        }

        private long EnsureStream(string eventSetId, string eventName, SqliteTransaction tx)
        {
            string name = eventSetId + "\t" + eventName;
            lock (_streams)
            {
                if (_streams.TryGetValue(name, out long id)) return id;
            }
            using var upsert = Command("INSERT OR IGNORE INTO streams(event_set_id, event) VALUES($set, $event); SELECT id FROM streams WHERE event_set_id = $set AND event = $event", tx);
            upsert.Parameters.AddWithValue("$set", eventSetId);
            upsert.Parameters.AddWithValue("$event", eventName);
            long stream = (long)upsert.ExecuteScalar()!;
            // Cached only after commit would be stricter; a rolled-back insert ends the run anyway.
            lock (_streams) _streams[name] = stream;
            return stream;
        }

        private void WriteTransaction(Action<SqliteTransaction> work)
        {
            lock (_writeGate)
            {
                try
                {
                    using var tx = Writer.BeginTransaction();
                    work(tx);
                    tx.Commit();
                }
                catch (SqliteException ex)
                {
                    throw new JournalWriteException(Path, ex.Message, ex);
                }
            }
        }

        private SqliteCommand Command(string sql, SqliteTransaction tx)
        {
            var command = Writer.CreateCommand();
            command.Transaction = tx;
            command.CommandText = sql;
            return command;
        }

        private long Scalar(string sql)
        {
            lock (_readGate) return Scalar(_read, sql);
        }

        internal static long Scalar(SqliteConnection connection, string sql, SqliteTransaction? tx = null)
        {
            using var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = sql;
            return Convert.ToInt64(command.ExecuteScalar() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
        }

        private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? tx = null)
        {
            using var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }

        private static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        private static void SplitKey(string key, out string set, out string name, out string id)
        {
            string[] parts = key.Split(new[] { '\t' }, 3);
            if (parts.Length != 3) throw new ArgumentException("A journal key is event set, event and event_id joined by tabs (DeliveryJournal.Key).", nameof(key));
            set = parts[0];
            name = parts[1];
            id = parts[2];
        }

        public void Dispose()
        {
            try
            {
                MergePending(); // nothing for a preview
            }
            catch (JournalWriteException)
            {
                // Kept pending (nothing is lost): the next run that opens the journal moves them.
            }
            finally
            {
                lock (_writeGate)
                {
                    lock (_readGate)
                    {
                        _lookup.Dispose();
                        _read.Dispose();
                        // The last connection to close checkpoints the WAL into the database and removes it.
                        _write?.Dispose();
                        _lock.Dispose();
                    }
                }
            }
        }
    }
}
