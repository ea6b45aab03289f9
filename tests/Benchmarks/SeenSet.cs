using System;
using System.Diagnostics;
using System.IO;
using Microsoft.Data.Sqlite;
using OfflineEvents.Core.Delivery;

/// <summary>
/// The run's repeat check, hand-written (SeenEvents: 250,000 keys in memory, sorted runs on disk with Bloom filters)
/// against the library way of keeping a key set on disk: a temporary SQLite table keyed by the same 16 bytes, with
/// the same memory (an 8 MB page cache) and no durability (it is thrown away). Both take the same keys in the same
/// order, a share of them repeats of earlier keys, and answer Add; prints seconds, peak working set and the repeats found.
/// </summary>
internal static class SeenSet
{
    public static int Run(string kind, long keys, string folder)
    {
        var clock = Stopwatch.StartNew();
        long repeats = kind == "sqlite" ? WithSqlite(keys, folder) : WithSeenEvents(keys, folder);
        Console.WriteLine(FormattableString.Invariant($"{clock.Elapsed.TotalSeconds:0.00} {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:0} {repeats}"));
        return 0;
    }

    // Every 20th key repeats one taken earlier (the benchmark export's duplicates are rarer; lookups of misses dominate).
    private static EventKey Key(long i, Random random) =>
        EventKey.Of("Purchase", "oe2-" + (i % 20 == 19 ? random.NextInt64(0, i) : i).ToString("x32"));

    private static long WithSeenEvents(long keys, string folder)
    {
        var random = new Random(42);
        long repeats = 0;
        using var seen = new SeenEvents(SeenEvents.DefaultInMemory, folder);
        for (long i = 0; i < keys; i++) if (!seen.Add(Key(i, random))) repeats++;
        return repeats;
    }

    private static long WithSqlite(long keys, string folder)
    {
        var random = new Random(42);
        long repeats = 0;
        string path = Path.Combine(folder, "seen-set-" + Guid.NewGuid().ToString("N") + ".db");
        try
        {
            using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
            db.Open();
            using (var setup = db.CreateCommand())
            {
                setup.CommandText = "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -8192; "
                    + "CREATE TABLE seen(high INTEGER NOT NULL, low INTEGER NOT NULL, PRIMARY KEY(high, low)) WITHOUT ROWID";
                setup.ExecuteNonQuery();
            }
            using var insert = db.CreateCommand();
            insert.CommandText = "INSERT OR IGNORE INTO seen VALUES($high, $low)";
            var high = insert.Parameters.Add("$high", SqliteType.Integer);
            var low = insert.Parameters.Add("$low", SqliteType.Integer);
            insert.Prepare();
            var tx = db.BeginTransaction();
            for (long i = 0; i < keys; i++)
            {
                var key = Key(i, random);
                high.Value = unchecked((long)key.High);
                low.Value = unchecked((long)key.Low);
                insert.Transaction = tx;
                if (insert.ExecuteNonQuery() == 0) repeats++;
                if (i % 1000 == 999)
                {
                    tx.Commit();
                    tx = db.BeginTransaction();
                }
            }
            tx.Commit();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
        return repeats;
    }
}
