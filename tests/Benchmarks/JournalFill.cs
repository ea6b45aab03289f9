using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using OfflineEvents.Core.Delivery;

/// <summary>
/// Fills a journal with a given number of delivered events straight in the database (not by sending): the state
/// of years of nightly runs, 5,000 events a night, for the journal benchmarks. Event ids are random like real
/// ones (oe1- and 32 hex digits), so lookups of new ids land anywhere in the index, as they do in production.
/// </summary>
internal static class JournalFill
{
    public static int Run(string path, long events, string eventSetId, string resultPath)
    {
        var clock = Stopwatch.StartNew();
        using (DeliveryJournal.Open(path)) { } // the schema, as the module creates it
        using (var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
        {
            db.Open();
            Execute(db, "PRAGMA synchronous = OFF; PRAGMA cache_size = -524288; PRAGMA temp_store = FILE");
            Execute(db, "BEGIN");
            Execute(db, "INSERT OR IGNORE INTO streams(event_set_id, event) VALUES($set, 'Purchase')", ("$set", eventSetId));
            long nights = (events + 4999) / 5000, batches = (events + 999) / 1000;
            long day = 86_400_000L, start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - nights * day;
            Execute(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $nights) "
                + "INSERT INTO runs(id, started_at, ended_at, event_set_id, inputs, outcome, read, delivered, skipped, rejected, not_sent) "
                + "SELECT i, $start + (i - 1) * $day, $start + (i - 1) * $day + 60000, $set, '/data/exports/pos-' || i || '.csv', 'Completed', 5000, 5000, 0, 0, 0 FROM n",
                ("$nights", nights), ("$start", start), ("$day", day), ("$set", eventSetId));
            Execute(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $batches) "
                + "INSERT INTO batches(id, run_id, request_id, sent_at, events) "
                + "SELECT i, (i - 1) / 5 + 1, printf('2026%020d', i), $start + ((i - 1) / 5) * $day + ((i - 1) % 5) * 1000, 1000 FROM n",
                ("$batches", batches), ("$start", start), ("$day", day));
            // Random ids go into a temporary table first and into the index in sorted order (one pass, not random inserts);
            // the order-id index is built after, the same way.
            Execute(db, "DROP INDEX events_order");
            Execute(db, "CREATE TEMP TABLE ids(id TEXT NOT NULL)");
            Execute(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $events) INSERT INTO temp.ids SELECT 'oe1-' || lower(hex(randomblob(16))) FROM n",
                ("$events", events));
            Execute(db, "INSERT OR IGNORE INTO events(stream, event_id, order_id, batch_id) "
                + "SELECT (SELECT id FROM streams WHERE event_set_id = $set AND event = 'Purchase'), id, 'F-' || rowid, (rowid - 1) / 1000 + 1 FROM temp.ids ORDER BY id",
                ("$set", eventSetId));
            Execute(db, "DROP TABLE temp.ids");
            Execute(db, "CREATE INDEX events_order ON events(order_id) WHERE order_id IS NOT NULL");
            Execute(db, "UPDATE meta SET value = (SELECT count(*) FROM events) WHERE name = 'events'");
            Execute(db, "COMMIT");
            Execute(db, "PRAGMA wal_checkpoint(TRUNCATE)");
        }
        long bytes = new FileInfo(path).Length;
        File.WriteAllText(resultPath, JsonSerializer.Serialize(new
        {
            events,
            bytes,
            bytes_per_event = Math.Round((double)bytes / events, 1),
            mb_per_million_events = Math.Round(bytes / 1048576.0 / (events / 1e6), 1),
            seconds = Math.Round(clock.Elapsed.TotalSeconds, 1),
        }));
        return 0;
    }

    /// <summary>
    /// Puts a journal back as Run filled it: removes the runs, batches and events added after the fill's own (by the
    /// benchmark's sends), so that a filled journal is made once and measured again in later runs.
    /// </summary>
    public static int Trim(string path, long events)
    {
        long nights = (events + 4999) / 5000, batches = (events + 999) / 1000;
        using var db = Open(path);
        Execute(db, "BEGIN");
        // Only a fold (a send past the recent level's limit) adds to events; finding its events takes a scan of all of them.
        using (var indexed = db.CreateCommand())
        {
            indexed.CommandText = "SELECT (SELECT value FROM meta WHERE name = 'events') - (SELECT count(*) FROM recent)";
            long added = (long)indexed.ExecuteScalar()! - events;
            if (added > 0) Execute(db, "DELETE FROM events WHERE batch_id > $batches", ("$batches", batches));
            Console.WriteLine(added > 0 ? $"folded: {added} events had moved into events" : "trimmed");
        }
        Execute(db, "DELETE FROM recent; DELETE FROM pending_batches; DELETE FROM batches WHERE id > $batches; DELETE FROM runs WHERE id > $nights; "
            + "UPDATE meta SET value = $events WHERE name = 'events'", ("$batches", batches), ("$nights", nights), ("$events", events));
        Execute(db, "COMMIT");
        Execute(db, "PRAGMA wal_checkpoint(TRUNCATE)");
        return 0;
    }

    /// <summary>
    /// Adds one run of that many random events to the journal's recent level (schema 4), as if nightly runs had put
    /// them there since the last fold: with the recent level near its limit, the next send's close folds it.
    /// </summary>
    public static int FillRecent(string path, long events, string eventSetId)
    {
        using var db = Open(path);
        Execute(db, "BEGIN");
        Execute(db, "INSERT INTO runs(started_at, ended_at, event_set_id, inputs, outcome, read, delivered, skipped, rejected, not_sent) "
            + "VALUES(strftime('%s') * 1000, strftime('%s') * 1000, $set, '/data/exports/recent.csv', 'Completed', $n, $n, 0, 0, 0)", ("$set", eventSetId), ("$n", events));
        Execute(db, "INSERT INTO batches(run_id, request_id, sent_at, events) VALUES((SELECT max(id) FROM runs), 'recent', strftime('%s') * 1000, $n)", ("$n", events));
        Execute(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n) INSERT INTO recent(stream, event_id, order_id, batch_id) "
            + "SELECT (SELECT id FROM streams WHERE event_set_id = $set AND event = 'Purchase'), 'oe1-' || lower(hex(randomblob(16))), 'R-' || i, (SELECT max(id) FROM batches) FROM n",
            ("$n", events), ("$set", eventSetId));
        Execute(db, "UPDATE meta SET value = value + $n WHERE name = 'events'", ("$n", events));
        Execute(db, "COMMIT");
        Execute(db, "PRAGMA wal_checkpoint(TRUNCATE)");
        return 0;
    }

    /// <summary>
    /// What indexing a run's events cost at its close, alone: a copy of the journal that one run wrote, its events put
    /// back as the run left them before its close (pending, per batch and event name, in no order within a batch, as
    /// ids come), then timed: the module's open,
    /// which moves them into the index as a close does (MergePending), and its close (the checkpoint). Prints the seconds.
    /// </summary>
    public static int Floor(string journal, string copy)
    {
        File.Copy(journal, copy, overwrite: true);
        long events;
        using (var db = Open(copy))
        {
            Execute(db, "BEGIN");
            Execute(db, "INSERT INTO pending_batches(batch_id, stream, count, events) SELECT batch_id, stream, count(*), json_group_array(json_array(event_id, order_id)) "
                + "FROM (SELECT * FROM (SELECT * FROM events UNION ALL SELECT * FROM recent) ORDER BY batch_id, random()) GROUP BY batch_id, stream ORDER BY batch_id");
            Execute(db, "DELETE FROM events; DELETE FROM recent; UPDATE meta SET value = 0 WHERE name = 'events'");
            Execute(db, "COMMIT");
            Execute(db, "PRAGMA wal_checkpoint(TRUNCATE)");
            using var count = db.CreateCommand();
            count.CommandText = "SELECT sum(count) FROM pending_batches";
            events = (long)count.ExecuteScalar()!;
        }
        var clock = Stopwatch.StartNew();
        using (var reopened = DeliveryJournal.Open(copy))
        {
            if (reopened.LoadedCount != events) throw new InvalidOperationException($"the journal indexed {reopened.LoadedCount} of {events} pending events");
        }
        Console.WriteLine(FormattableString.Invariant($"{clock.Elapsed.TotalSeconds:0.000} {events}"));
        return 0;
    }

    private static SqliteConnection Open(string path)
    {
        var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        db.Open();
        return db;
    }

    private static void Execute(SqliteConnection db, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }
}
