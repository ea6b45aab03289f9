using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Data.Sqlite;
using OfflineEvents.Core.Delivery;
using Xunit;

namespace OfflineEvents.Core.Tests;

public sealed class DeliveryJournalTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "oeps-journal-" + Guid.NewGuid());

    public DeliveryJournalTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string NewPath(string name = "sent.journal") => Path.Combine(_folder, name);

    /// <summary>Every text value in every table: what a journal stores, for the no-PII checks.</summary>
    internal static List<string> AllValues(string path)
    {
        var values = new List<string>();
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        db.Open();
        var tables = new List<string>();
        using (var list = db.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            using var r = list.ExecuteReader();
            while (r.Read()) tables.Add(r.GetString(0));
        }
        foreach (string table in tables)
        {
            using var all = db.CreateCommand();
            all.CommandText = $"SELECT * FROM \"{table}\"";
            using var r = all.ExecuteReader();
            while (r.Read())
            {
                for (int i = 0; i < r.FieldCount; i++) if (!r.IsDBNull(i)) values.Add(Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!);
            }
        }
        return values;
    }

    private static long Query(string path, string sql)
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar());
    }

    [Fact]
    public void Keys_runs_and_batches_survive_a_reopen_in_an_SQLite_database()
    {
        string path = NewPath();
        using (var j = DeliveryJournal.Open(path))
        {
            Assert.Equal(0, j.LoadedCount);
            j.BeginRun("1");
            j.Append("req-1", new[] { DeliveryJournal.Key("1", "Purchase", "a"), DeliveryJournal.Key("1", "Purchase", "b") });
            j.Append("req-2", new[] { DeliveryJournal.Key("1", "Lead", "a") });
            Assert.Equal(3, j.Count);
            j.EndRun("Completed", new[] { "/data/export.csv" }, 3, 3, 0, 0, 0);
        }
        Assert.StartsWith("SQLite format 3\0", Encoding.ASCII.GetString(File.ReadAllBytes(path), 0, 16));
        Assert.Equal(5, Query(path, "PRAGMA user_version"));
        Assert.Equal("wal", Convert.ToString(QueryText(path, "PRAGMA journal_mode")));
        using (var j = DeliveryJournal.Open(path))
        {
            Assert.Equal(3, j.LoadedCount);
            Assert.True(j.Contains(DeliveryJournal.Key("1", "Purchase", "a")));
            Assert.True(j.Contains(DeliveryJournal.Key("1", "Lead", "a")));
            Assert.False(j.Contains(DeliveryJournal.Key("1", "Lead", "b")));
            Assert.False(j.Contains(DeliveryJournal.Key("2", "Purchase", "a")));
            Assert.Equal(new HashSet<string> { "a", "b" }, j.FindDelivered("1", "Purchase", new[] { "a", "b", "c", "d" }));
        }
        Assert.Equal(1, Query(path, "SELECT count(*) FROM runs WHERE ended_at >= started_at AND outcome = 'Completed' AND inputs = '/data/export.csv' AND delivered = 3"));
        Assert.Equal(2, Query(path, "SELECT count(*) FROM batches WHERE request_id IN ('req-1', 'req-2')"));
        // The file is closed and whole: no WAL left beside it once the last connection is gone.
        Assert.False(File.Exists(path + "-wal"));
    }

    private static string QueryText(string path, string sql)
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar())!;
    }

    /// <summary>A consistent copy of the journal as it is now, committed batches included: what a kill -9 leaves on disk.</summary>
    private static void Snapshot(string path, string copy)
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = "VACUUM INTO $copy";
        command.Parameters.AddWithValue("$copy", copy);
        command.ExecuteNonQuery();
    }

    [Fact]
    public void Batches_wait_unindexed_until_the_journal_closes_and_a_run_killed_before_that_loses_none_of_them()
    {
        string path = NewPath();
        string killed = NewPath("killed.journal");
        using (var j = DeliveryJournal.Open(path))
        {
            j.BeginRun("1");
            j.Append("req-1", new[] { new JournalEntry("1", "Purchase", "a", "ORD-1"), new JournalEntry("1", "Purchase", "b", null) });
            j.Append("req-2", new[] { new JournalEntry("1", "Lead", "c", "ORD-2") });
            // Committed, not yet in the index: appending touched no page of it (one row per batch and event name).
            Snapshot(path, killed);
            Assert.Equal(2, Query(killed, "SELECT count(*) FROM pending_batches"));
            Assert.Equal(3, Query(killed, "SELECT sum(count) FROM pending_batches"));
            Assert.Equal(0, Query(killed, "SELECT count(*) FROM events"));
            // Delivery history sees them while the run holds the journal.
            using (var history = DeliveryHistory.Open(path))
            {
                var events = history.Orders(new[] { "ORD-1", "ORD-2" }, null, null);
                Assert.Equal(new[] { "ORD-1 a req-1", "ORD-2 c req-2" }, events.Select(e => $"{e.OrderId} {e.EventId} {e.RequestId}"));
            }
        }
        // Closed: moved into the index.
        Assert.Equal(0, Query(path, "SELECT count(*) FROM pending_batches"));
        Assert.Equal(3, Query(path, "SELECT count(*) FROM events"));
        // The copy is a run killed after two acknowledged batches: the next run finds both.
        using (var j = DeliveryJournal.Open(killed))
        {
            Assert.Equal(3, j.LoadedCount);
            Assert.Equal(new HashSet<string> { "a", "b" }, j.FindDelivered("1", "Purchase", new[] { "a", "b", "x" }));
            Assert.True(j.Contains(DeliveryJournal.Key("1", "Lead", "c")));
        }
        Assert.Equal(0, Query(killed, "SELECT count(*) FROM pending_batches"));
        using (var history = DeliveryHistory.Open(killed))
        {
            Assert.Equal("req-1", Assert.Single(history.Orders(new[] { "ORD-1" }, null, null)).RequestId);
        }
    }

    [Fact]
    public void A_schema_2_journal_is_upgraded_when_a_run_opens_it_and_keeps_its_events()
    {
        string path = NewPath();
        using (var j = DeliveryJournal.Open(path))
        {
            j.Append("req-1", new[] { new JournalEntry("1", "Purchase", "a", "ORD-1") });
        }
        // Schema 2 (order-level event ids) had no pending table and no recent one.
        Query(path, "DROP TABLE pending_batches; DROP TABLE recent; PRAGMA user_version = 2");
        using (var history = DeliveryHistory.Open(path))
        {
            Assert.Equal("a", Assert.Single(history.Orders(new[] { "ORD-1" }, null, null)).EventId);
        }
        using (var j = DeliveryJournal.Open(path))
        {
            Assert.Equal(1, j.LoadedCount);
            Assert.True(j.Contains(DeliveryJournal.Key("1", "Purchase", "a")));
            j.Append("req-2", new[] { new JournalEntry("1", "Purchase", "b", "ORD-2") });
        }
        Assert.Equal(5, Query(path, "PRAGMA user_version"));
        Assert.Equal(2, Query(path, "SELECT count(*) FROM events"));
    }

    [Fact]
    public void A_schema_3_journal_killed_mid_run_is_upgraded_in_place_and_keeps_its_events_and_pending_batches()
    {
        string path = NewPath();
        string killed = NewPath("killed-v3.journal");
        using (var j = DeliveryJournal.Open(path))
        {
            j.Append("req-1", new[] { new JournalEntry("1", "Purchase", "a", "ORD-1") });
        }
        using (var j = DeliveryJournal.Open(path))
        {
            j.Append("req-2", new[] { new JournalEntry("1", "Purchase", "b", "ORD-2") });
            Snapshot(path, killed);
        }
        // Schema 3 had no recent table and kept pending events a row each; the copy was killed with batch 2 pending.
        ToPendingRows(killed, 3);
        Query(killed, "DROP TABLE recent");
        using (var j = DeliveryJournal.Open(killed))
        {
            Assert.Equal(2, j.LoadedCount);
            Assert.Equal(new HashSet<string> { "a", "b" }, j.FindDelivered("1", "Purchase", new[] { "a", "b", "c" }));
            j.Append("req-3", new[] { new JournalEntry("1", "Purchase", "c", "ORD-3") });
        }
        Assert.Equal(5, Query(killed, "PRAGMA user_version"));
        Assert.Equal(1, Query(killed, "SELECT count(*) FROM sqlite_master WHERE name = 'recent_order'"));
        Assert.Equal(0, Query(killed, "SELECT count(*) FROM sqlite_master WHERE name = 'pending'"));
        Assert.Equal(3, Query(killed, "SELECT count(*) FROM events") + Query(killed, "SELECT count(*) FROM recent"));
        Assert.Equal(0, Query(killed, "SELECT count(*) FROM pending_batches"));
        using var history = DeliveryHistory.Open(killed);
        Assert.Equal(new[] { "ORD-1 req-1", "ORD-2 req-2", "ORD-3 req-3" }, history.Orders(new[] { "ORD-1", "ORD-2", "ORD-3" }, null, null).Select(e => $"{e.OrderId} {e.RequestId}"));
    }

    /// <summary>Makes a journal of this version one of schema 3 or 4: a killed run's events in pending, a row per event.</summary>
    private static void ToPendingRows(string path, int version) =>
        Query(path, "CREATE TABLE pending(stream INTEGER NOT NULL, event_id TEXT NOT NULL, order_id TEXT, batch_id INTEGER NOT NULL); "
            + $"INSERT INTO pending {DeliveryJournal.PendingEvents}; DROP TABLE pending_batches; PRAGMA user_version = {version}");

    [Fact]
    public void A_schema_4_journal_killed_mid_run_keeps_its_pending_events_through_the_upgrade_and_history_reads_them_before_it()
    {
        string path = NewPath();
        string killed = NewPath("killed-v4.journal");
        using (var j = DeliveryJournal.Open(path))
        {
            j.RecentLimit = 1;
            j.Append("req-1", Entries("a", "b"));
        }
        using (var j = DeliveryJournal.Open(path))
        {
            j.RecentLimit = 1;
            j.Append("req-2", new[] { new JournalEntry("1", "Purchase", "c", "ORD-c"), new JournalEntry("1", "Lead", "d", null), new JournalEntry("1", "Purchase", "e \"q\" é", "ORD-e") });
            j.Append("req-3", Entries("f"));
            Snapshot(path, killed);
        }
        ToPendingRows(killed, 4);
        Assert.Equal(4, Query(killed, "SELECT count(*) FROM pending"));
        using (var history = DeliveryHistory.Open(killed))
        {
            Assert.Equal(new[] { "ORD-a req-1", "ORD-c req-2", "ORD-e req-2", "ORD-f req-3" },
                history.Orders(new[] { "ORD-a", "ORD-c", "ORD-e", "ORD-f" }, null, null).Select(e => $"{e.OrderId} {e.RequestId}"));
        }
        using (var j = DeliveryJournal.Open(killed))
        {
            Assert.Equal(6, j.LoadedCount);
            Assert.Equal(new HashSet<string> { "a", "c", "e \"q\" é", "f" }, j.FindDelivered("1", "Purchase", new[] { "a", "c", "e \"q\" é", "f", "x" }));
            Assert.Equal(new HashSet<string> { "d" }, j.FindDelivered("1", "Lead", new[] { "c", "d" }));
        }
        Assert.Equal(5, Query(killed, "PRAGMA user_version"));
        Assert.Equal(0, Query(killed, "SELECT count(*) FROM sqlite_master WHERE name = 'pending'"));
        Assert.Equal(0, Query(killed, "SELECT count(*) FROM pending_batches"));
        using var after = DeliveryHistory.Open(killed);
        Assert.Equal("req-2", Assert.Single(after.Orders(new[] { "ORD-e" }, null, null)).RequestId);
    }

    private static string Fingerprint(string path) =>
        string.Join(" ", Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*").OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => Path.GetFileName(f) + ":" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))));

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void A_preview_of_a_journal_a_run_was_killed_in_finds_every_event_and_changes_nothing(int schema)
    {
        string path = NewPath();
        string killed = NewPath($"killed-preview-{schema}.journal");
        using (var j = DeliveryJournal.Open(path))
        {
            j.RecentLimit = 1;
            j.Append("req-1", Entries("a", "b"));
        }
        using (var j = DeliveryJournal.Open(path))
        {
            j.RecentLimit = 10; // into recent
            j.Append("req-2", Entries("c"));
        }
        using (var j = DeliveryJournal.Open(path))
        {
            j.RecentLimit = 10;
            j.Append("req-3", Entries("d", "e"));
            Snapshot(path, killed);
        }
        if (schema == 4) ToPendingRows(killed, 4);
        // Retention would prune, an upgrade would rewrite, a close would move the pending events: a preview does none.
        Query(killed, $"UPDATE batches SET sent_at = sent_at - {40L * 86_400_000} WHERE request_id = 'req-1'");
        string before = Fingerprint(killed);
        using (var j = DeliveryJournal.OpenPreview(killed, TimeSpan.Zero))
        {
            Assert.True(j.IsPreview);
            Assert.Equal(5, j.LoadedCount);
            Assert.Equal(new HashSet<string> { "a", "c", "d", "e" }, j.FindDelivered("1", "Purchase", new[] { "a", "c", "d", "e", "x" }));
            Assert.Throws<InvalidOperationException>(() => j.BeginRun("1"));
        }
        Assert.Equal(before, Fingerprint(killed));
        Assert.Equal(schema, Query(killed, "PRAGMA user_version"));
    }

    [Fact]
    public void History_of_a_damaged_journal_is_an_IOException_that_names_it_not_an_SqliteException()
    {
        string path = NewPath();
        string damaged = NewPath("damaged.journal");
        using (var j = DeliveryJournal.Open(path))
        {
            j.Append("req-1", Entries("a"));
            Snapshot(path, damaged);
        }
        Query(damaged, "UPDATE pending_batches SET events = '[[\"a\", \"ORD-a\"'");
        using var history = DeliveryHistory.Open(damaged);
        var ex = Assert.Throws<IOException>(() => history.Orders(new[] { "ORD-a" }, null, null));
        Assert.Contains(damaged, ex.Message);
        Assert.IsType<SqliteException>(ex.InnerException);
    }

    [Fact]
    public void A_preview_of_an_empty_file_holds_nothing_and_leaves_it_empty()
    {
        string path = NewPath("empty.journal");
        File.WriteAllBytes(path, Array.Empty<byte>());
        using (var j = DeliveryJournal.OpenPreview(path, TimeSpan.Zero))
        {
            Assert.Equal(0, j.LoadedCount);
            Assert.Empty(j.FindDelivered("1", "Purchase", new[] { "a" }));
        }
        Assert.Equal(0, new FileInfo(path).Length);
    }

    [Fact]
    public void A_preview_refuses_what_a_run_refuses()
    {
        string path = NewPath();
        using (DeliveryJournal.Open(path)) { }
        Query(path, $"PRAGMA user_version = {DeliveryJournal.SchemaVersion + 1}");
        Assert.Contains("newer OfflineEvents.PS", Assert.Throws<InvalidDataException>(() => DeliveryJournal.OpenPreview(path, TimeSpan.Zero)).Message);
        string text = NewPath("text.journal");
        File.WriteAllText(text, DeliveryJournal.TextJournalHeader + "\n");
        Assert.Throws<InvalidDataException>(() => DeliveryJournal.OpenPreview(text, TimeSpan.Zero));
        using (DeliveryJournal.Open(path + ".held", TimeSpan.Zero, null))
        {
            Assert.Throws<JournalBusyException>(() => DeliveryJournal.OpenPreview(path + ".held", TimeSpan.Zero));
        }
    }

    private static JournalEntry[] Entries(params string[] ids) => ids.Select(id => new JournalEntry("1", "Purchase", id, "ORD-" + id)).ToArray();

    [Fact]
    public void A_run_into_a_big_journal_closes_into_the_small_recent_level_which_folds_into_events_past_its_limit()
    {
        string path = NewPath();
        // A first run: nothing indexed yet, so its events go straight into events.
        using (var j = DeliveryJournal.Open(path))
        {
            j.RecentLimit = 4;
            j.Append("req-1", Entries("a", "b", "c", "d", "e"));
        }
        Assert.Equal(5, Query(path, "SELECT count(*) FROM events"));
        Assert.Equal(0, Query(path, "SELECT count(*) FROM recent"));
        // A nightly run: its events go to recent, and lookups, counts and history see them there.
        using (var j = DeliveryJournal.Open(path))
        {
            j.RecentLimit = 4;
            j.Append("req-2", Entries("f", "g"));
        }
        Assert.Equal(5, Query(path, "SELECT count(*) FROM events"));
        Assert.Equal(2, Query(path, "SELECT count(*) FROM recent"));
        using (var j = DeliveryJournal.Open(path))
        {
            j.RecentLimit = 4;
            Assert.Equal(7, j.LoadedCount);
            Assert.Equal(new HashSet<string> { "a", "f", "g" }, j.FindDelivered("1", "Purchase", new[] { "a", "f", "g", "x" }));
            Assert.True(j.Contains(DeliveryJournal.Key("1", "Purchase", "g")));
            using (var history = DeliveryHistory.Open(path))
            {
                Assert.Equal(new[] { "ORD-a req-1", "ORD-g req-2" }, history.Orders(new[] { "ORD-a", "ORD-g" }, null, null).Select(e => $"{e.OrderId} {e.RequestId}"));
            }
            // Past the limit (2 + 3 > 4): recent and this run's events fold into events.
            j.Append("req-3", Entries("h", "i", "j"));
        }
        Assert.Equal(10, Query(path, "SELECT count(*) FROM events"));
        Assert.Equal(0, Query(path, "SELECT count(*) FROM recent"));
        // The first run's fold built the order-id index again after its move (a fold as big as its tree); it is there.
        Assert.Equal(1, Query(path, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'events_order'"));
        Assert.Equal(0, Query(path, "SELECT count(*) FROM pending_batches"));
        using (var j = DeliveryJournal.Open(path))
        {
            Assert.Equal(10, j.LoadedCount);
            Assert.Equal(new HashSet<string> { "a", "f", "j" }, j.FindDelivered("1", "Purchase", new[] { "a", "f", "j", "k" }));
        }
        using (var history = DeliveryHistory.Open(path))
        {
            Assert.Equal("req-2", Assert.Single(history.Orders(new[] { "ORD-f" }, null, null)).RequestId);
        }
    }

    [Fact]
    public void Retention_prunes_the_recent_level_too()
    {
        string path = NewPath();
        using (var j = DeliveryJournal.Open(path))
        {
            j.RecentLimit = 2;
            j.Append("base", Entries("a", "b", "c"));
        }
        using (var j = DeliveryJournal.Open(path))
        {
            j.RecentLimit = 2;
            j.Append("old", Entries("old-1"));
        }
        using (var j = DeliveryJournal.Open(path))
        {
            j.RecentLimit = 2;
            j.Append("new", Entries("new-1"));
        }
        Assert.Equal(2, Query(path, "SELECT count(*) FROM recent"));
        long day = 86_400_000L, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Query(path, $"UPDATE batches SET sent_at = {now - 40 * day} WHERE request_id IN ('base', 'old'); UPDATE runs SET started_at = {now - 40 * day}, ended_at = {now - 40 * day} WHERE id IN (SELECT run_id FROM batches WHERE request_id IN ('base', 'old'))");
        using (var j = DeliveryJournal.Open(path, TimeSpan.Zero, 30))
        {
            Assert.Equal(4, j.PrunedCount);
            Assert.Equal(1, j.LoadedCount);
            Assert.Equal(new HashSet<string> { "new-1" }, j.FindDelivered("1", "Purchase", new[] { "a", "old-1", "new-1" }));
        }
        Assert.Equal(1, Query(path, "SELECT count(*) FROM recent"));
        Assert.Equal(0, Query(path, "SELECT count(*) FROM events"));
    }

    [Fact]
    public void Event_ids_of_any_characters_are_found_again()
    {
        // A row's own event_id is taken as given: quotes, backslashes, non-ASCII and control characters included.
        string[] ids = { "say \"hi\"", "back\\slash", "café-№7", "tab\there", "{\"json\":1}", "\u2028line", "emoji-\U0001F600", "ctl-\u0001\u001F", "<tag>&amp;'" };
        string path = NewPath();
        using (var j = DeliveryJournal.Open(path)) j.Append("req", ids.Select(id => DeliveryJournal.Key("1", "Purchase", id)).ToList());
        using (var j = DeliveryJournal.Open(path))
        {
            Assert.Equal(new HashSet<string>(ids), j.FindDelivered("1", "Purchase", ids.Append("other").ToList()));
        }
        // Stored as given, not only found again: lookups go through json_each as the appends do, so both could mangle alike.
        var stored = AllValues(path);
        foreach (string id in ids) Assert.Contains(id, stored);
    }

    [Fact]
    public void One_run_at_a_time_and_only_journal_files()
    {
        string path = NewPath();
        string other = NewPath("export.csv");
        using (DeliveryJournal.Open(path))
        {
            Assert.ThrowsAny<IOException>(() => DeliveryJournal.Open(path));
        }
        File.WriteAllText(other, "event_type,email\nPurchase,a@b.com\n");
        Assert.Throws<InvalidDataException>(() => DeliveryJournal.Open(other));
        Assert.Equal("event_type,email\nPurchase,a@b.com\n", File.ReadAllText(other));
    }

    [Fact]
    public void A_second_run_waits_for_the_first_also_through_a_symlink_or_another_spelling_then_gives_up()
    {
        string path = NewPath();
        string link = NewPath("link.journal");
        File.CreateSymbolicLink(link, path);
        // Another spelling that stays different after GetFullPath: the folder reached through a symlink.
        string linkedFolder = _folder + "-link";
        Directory.CreateSymbolicLink(linkedFolder, _folder);
        string spelled = Path.Combine(linkedFolder, "sent.journal");
        using (DeliveryJournal.Open(path))
        {
            foreach (string name in new[] { path, link, spelled })
            {
                var clock = Stopwatch.StartNew();
                var busy = Assert.Throws<JournalBusyException>(() => DeliveryJournal.Open(name, TimeSpan.FromSeconds(0.5), null));
                Assert.InRange(clock.Elapsed.TotalSeconds, 0.45, 5);
                Assert.Contains("in use by another run", busy.Message);
                Assert.Contains("-JournalWaitSec", busy.Message);
                Assert.DoesNotContain("Is another Send-OfflineEvent using it?", busy.Message);
            }
        }
        Directory.Delete(linkedFolder);
        // Released at close: the link opens the same journal.
        using (var j = DeliveryJournal.Open(link, TimeSpan.FromSeconds(1), null)) j.Append("r", new[] { DeliveryJournal.Key("1", "Purchase", "x") });
        using (var j = DeliveryJournal.Open(path)) Assert.Equal(1, j.LoadedCount);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_second_run_gets_the_journal_as_soon_as_the_first_lets_go()
    {
        string path = NewPath();
        var first = DeliveryJournal.Open(path);
        var release = System.Threading.Tasks.Task.Delay(700).ContinueWith(_ => first.Dispose());
        var clock = Stopwatch.StartNew();
        using (DeliveryJournal.Open(path, TimeSpan.FromSeconds(10), null))
        {
            Assert.InRange(clock.Elapsed.TotalSeconds, 0.5, 5);
        }
        await release;
    }

    [Fact]
    public void An_old_text_journal_is_refused_with_what_to_do_and_left_as_it_is()
    {
        string path = NewPath();
        string text = "# OfflineEvents.PS delivery journal v1\nB\t2026-11-24T00:00:00Z\treq-1\t1\nE\t1\tPurchase\toe1-abc\n";
        File.WriteAllText(path, text);
        var ex = Assert.Throws<InvalidDataException>(() => DeliveryJournal.Open(path));
        Assert.Contains("text journal of an earlier OfflineEvents.PS", ex.Message);
        Assert.Contains("Give -JournalPath a new file name", ex.Message);
        Assert.Equal(text, File.ReadAllText(path));
        Assert.False(File.Exists(path + "-wal"));
    }

    [Fact]
    public void Another_SQLite_database_is_refused_and_left_as_it_is()
    {
        string path = NewPath("app.db");
        using (var db = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            db.Open();
            using var c = db.CreateCommand();
            c.CommandText = "CREATE TABLE customers(email TEXT); INSERT INTO customers VALUES('a@b.com')";
            c.ExecuteNonQuery();
        }
        byte[] before = File.ReadAllBytes(path);
        var ex = Assert.Throws<InvalidDataException>(() => DeliveryJournal.Open(path));
        Assert.Contains("not an OfflineEvents.PS journal", ex.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_journal_of_a_newer_schema_is_refused()
    {
        string path = NewPath();
        using (DeliveryJournal.Open(path)) { }
        Query(path, $"PRAGMA user_version = {DeliveryJournal.SchemaVersion + 1}");
        var ex = Assert.Throws<InvalidDataException>(() => DeliveryJournal.Open(path));
        Assert.Contains("newer OfflineEvents.PS", ex.Message);
    }

    [Fact]
    public void A_journal_of_the_schema_before_order_ids_is_refused_and_left_as_it_was()
    {
        string path = NewPath();
        using (var j = DeliveryJournal.Open(path))
        {
            j.BeginRun("1");
            j.Append("req-1", new[] { DeliveryJournal.Key("1", "Purchase", "oe1-0123456789abcdef0123456789abcdef") });
            j.EndRun("Completed", new[] { "/data/export.csv" }, 1, 1, 0, 0, 0);
        }
        Query(path, "PRAGMA user_version = 1");
        byte[] before = File.ReadAllBytes(path);
        var ex = Assert.Throws<InvalidDataException>(() => DeliveryJournal.Open(path));
        Assert.Contains("earlier OfflineEvents.PS", ex.Message);
        Assert.Contains("Give -JournalPath a new file", ex.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(1, Query(path, "PRAGMA user_version"));
    }

    [Fact]
    public void Retention_prunes_runs_batches_and_events_sent_before_the_window()
    {
        string path = NewPath();
        using (var j = DeliveryJournal.Open(path))
        {
            j.BeginRun("1");
            j.Append("old", new[] { DeliveryJournal.Key("1", "Purchase", "old-1"), DeliveryJournal.Key("1", "Purchase", "old-2") });
            j.EndRun("Completed", new[] { "a.csv" }, 2, 2, 0, 0, 0);
            j.BeginRun("1");
            j.Append("new", new[] { DeliveryJournal.Key("1", "Purchase", "new-1") });
            j.EndRun("Completed", new[] { "b.csv" }, 1, 1, 0, 0, 0);
        }
        // The first run was 40 days ago, the second 20.
        long day = 86_400_000L, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Query(path, $"UPDATE batches SET sent_at = {now - 40 * day} WHERE request_id = 'old'; UPDATE batches SET sent_at = {now - 20 * day} WHERE request_id = 'new'; "
            + $"UPDATE runs SET started_at = {now - 40 * day}, ended_at = {now - 40 * day} WHERE inputs = 'a.csv'; UPDATE runs SET started_at = {now - 20 * day}, ended_at = {now - 20 * day} WHERE inputs = 'b.csv'");
        using (var j = DeliveryJournal.Open(path, TimeSpan.Zero, 30))
        {
            Assert.Equal(2, j.PrunedCount);
            Assert.Equal(1, j.LoadedCount);
            Assert.False(j.Contains(DeliveryJournal.Key("1", "Purchase", "old-1")));
            Assert.True(j.Contains(DeliveryJournal.Key("1", "Purchase", "new-1")));
        }
        Assert.Equal(1, Query(path, "SELECT count(*) FROM runs"));
        Assert.Equal(1, Query(path, "SELECT count(*) FROM batches"));
        // Without retention nothing goes.
        using (var j = DeliveryJournal.Open(path)) Assert.Equal(1, j.LoadedCount);
    }
}
