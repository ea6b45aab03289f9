using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OfflineEvents.Core.Api;
using OfflineEvents.Core.Delivery;
using OfflineEvents.Core.EventSets;
using OfflineEvents.Core.Pii;
using OfflineEvents.Core.Rules;
using Xunit;

namespace OfflineEvents.Core.Tests;

/// <summary>The run's check for repeated events in bounded memory: spilled to sorted runs on disk, and still exact.</summary>
public sealed class SeenEventsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "seen-events-" + Guid.NewGuid().ToString("N"));

    public SeenEventsTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static EventKey Key(int i) => EventKey.Of("Purchase", "id-" + i);

    [Fact]
    public void Answers_exactly_as_a_HashSet_across_spills_and_merges()
    {
        var random = new Random(7);
        var truth = new HashSet<int>();
        using var seen = new SeenEvents(inMemory: 100, folder: _folder);
        int maxRuns = 0;
        // 30,000 adds of 20,000 ids: about a third repeat an id added anywhere before, most of them long spilled.
        for (int n = 0; n < 30_000; n++)
        {
            int id = random.Next(20_000);
            Assert.Equal(truth.Add(id), seen.Add(Key(id)));
            maxRuns = Math.Max(maxRuns, seen.Runs);
        }
        Assert.Equal(truth.Count, seen.Count);
        Assert.True(truth.Count > 15_000, $"{truth.Count} distinct");
        // Every key taken is found, and none that was not (a Bloom filter's false hit is checked on disk).
        foreach (int id in truth) Assert.True(seen.Contains(Key(id)), $"id {id} taken but not found");
        for (int id = 20_000; id < 120_000; id++) Assert.False(seen.Contains(Key(id)), $"id {id} never taken but found");
        // Merged like a binary counter: at most log2(spills) + 1 runs.
        int spills = truth.Count / 100;
        Assert.InRange(maxRuns, 2, (int)Math.Log(spills, 2) + 1);
    }

    [Fact]
    public void Keeps_its_runs_in_temporary_files_and_removes_them_when_disposed()
    {
        var seen = new SeenEvents(inMemory: 50, folder: _folder);
        for (int i = 0; i < 1_000; i++) Assert.True(seen.Add(Key(i)));
        string[] files = Directory.GetFiles(_folder);
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.Matches(@"OfflineEvents\.PS\.seen-events\.tmp-[0-9a-f]{8}$", f));
        Assert.Equal(seen.Runs, files.Length);
        // 16 bytes a key on disk, nothing more.
        Assert.Equal(1_000 / 50 * 50 * 16, files.Sum(f => new FileInfo(f).Length));
        seen.Dispose();
        Assert.Empty(Directory.GetFiles(_folder));
        // Used after Dispose (a stop racing the feeder): no exception, nothing on disk.
        Assert.True(seen.Add(Key(5_000)));
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public void Removes_the_temporary_files_a_killed_run_left_and_leaves_other_files()
    {
        string stale = Path.Combine(_folder, "OfflineEvents.PS.seen-events.tmp-0badc0de");
        string other = Path.Combine(_folder, "OfflineEvents.PS.seen-events.tmp-notours");
        File.WriteAllBytes(stale, new byte[32]);
        File.WriteAllBytes(other, new byte[32]);
        using var seen = new SeenEvents(inMemory: 10, folder: _folder);
        for (int i = 0; i < 10; i++) seen.Add(Key(i));
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(other));
    }

    [Fact]
    public void A_folder_that_takes_no_file_keeps_every_key_in_memory_with_one_warning()
    {
        var warnings = new List<string>();
        using var seen = new SeenEvents(inMemory: 10, folder: Path.Combine(_folder, "missing", "folder"), warn: warnings.Add);
        for (int i = 0; i < 100; i++) Assert.True(seen.Add(Key(i)));
        for (int i = 0; i < 100; i++) Assert.False(seen.Add(Key(i)));
        var warning = Assert.Single(warnings);
        Assert.Contains("keeps the rest of its events in memory", warning);
        Assert.Equal(0, seen.Runs);
    }

    // Cuts a file short past .NET's lock on it, as a failing disk or another program might.
    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int truncate(string path, long length);

    internal static void CutShort(string folder)
    {
        foreach (string file in Directory.GetFiles(folder, "OfflineEvents.PS.seen-events*")) Assert.Equal(0, truncate(file, 0));
    }

    [Fact]
    public void A_temporary_file_cut_short_under_the_run_is_a_TemporaryFileException_that_names_its_folder_not_an_IOException()
    {
        if (OperatingSystem.IsWindows()) return; // truncate(2) past the lock is how the test breaks the file
        using var seen = new SeenEvents(inMemory: 10, folder: _folder);
        for (int i = 0; i < 100; i++) Assert.True(seen.Add(Key(i)));
        CutShort(_folder);
        var ex = Assert.Throws<TemporaryFileException>(() => seen.Add(Key(5)));
        Assert.Equal(_folder, ex.Folder);
        Assert.Contains($"'{_folder}'", ex.Message);
        Assert.IsAssignableFrom<IOException>(ex.InnerException);
    }

    [Fact]
    public void A_run_cut_short_that_a_merge_reads_back_is_a_TemporaryFileException_not_a_warning_about_writing()
    {
        if (OperatingSystem.IsWindows()) return; // see CutShort
        var warnings = new List<string>();
        using var seen = new SeenEvents(inMemory: 10, folder: _folder, warn: warnings.Add);
        for (int i = 0; i < 10; i++) Assert.True(seen.Add(Key(i))); // one run of 10 on disk
        CutShort(_folder);
        // New keys only (no lookup reads the file: the Bloom filter says no, or a miss): the next spill merges the two runs.
        var ex = Assert.Throws<TemporaryFileException>(() => { for (int i = 1_000; i < 1_100; i++) seen.Add(Key(i)); });
        Assert.Equal(_folder, ex.Folder);
        Assert.Empty(warnings);
    }
}

/// <summary>The delivery engine with its repeat check spilling to disk, end to end against the sandbox.</summary>
public sealed class SpilledRepeatTests : IClassFixture<SandboxHost>, IDisposable
{
    private readonly SandboxHost _sandbox;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "spilled-repeats-" + Guid.NewGuid().ToString("N"));

    public SpilledRepeatTests(SandboxHost sandbox)
    {
        _sandbox = sandbox;
        Directory.CreateDirectory(_folder);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<string> NewSetAsync()
    {
        using var api = new BusinessApiClient(_sandbox.Connection());
        return (await new EventSetClient(api).CreateAsync("spilled " + Guid.NewGuid(), null, true, CancellationToken.None)).EventSetId;
    }

    private DeliverySummary Send(string setId, IEnumerable<string?[]> rows, RecordingHost host, Action<DeliveryOptions> configure)
    {
        var options = new DeliveryOptions(setId, new RowRuleOptions(new PiiNormalizer("US"))) { FailedBatchPause = TimeSpan.FromMilliseconds(50), TemporaryFolder = _folder };
        configure(options);
        using var client = new BusinessApiClient(_sandbox.Connection());
        var delivery = new EventDelivery(client, options, host, null);
        var shape = new EventShape(Rows.Header);
        // The first batch is approved once its 1,000 events are taken: the check has spilled by then.
        bool spilled = false;
        host.ApproveBatch = b =>
        {
            if (b == 1) spilled = Directory.GetFiles(_folder).Length > 0;
            return true;
        };
        long n = 0;
        foreach (var row in rows) delivery.Add(shape, ++n, n + 1, row, "test.csv");
        var summary = delivery.Complete();
        Assert.True(spilled, "no temporary file while the run went on");
        return summary;
    }

    [Fact]
    public async Task An_event_repeated_long_after_it_was_spilled_is_sent_once_and_counted_and_no_other_is_skipped()
    {
        string set = await NewSetAsync();
        var host = new RecordingHost();
        // 2,000 orders of one line; orders 0-299 come again at the end, 1,700 orders after they were spilled.
        var rows = Enumerable.Range(0, 2_000).Concat(Enumerable.Range(0, 300)).Select(i => Rows.Row(i)).ToList();
        // One event per row, taken as read (an order of the default grouping waits open for its lines, and a repeat
        // of a line in an open order is dropped there, never reaching the check).
        var summary = Send(set, rows, host, o =>
        {
            o.SeenEventsInMemory = 64;
            o.GroupBy = EventGrouping.None;
        });
        Assert.Equal(2_300, summary.Read);
        Assert.Equal(2_000, summary.Delivered);
        Assert.Equal(300, summary.DuplicatesInInput);
        Assert.Equal(300, summary.Skipped);
        var ledger = await _sandbox.LedgerAsync(set);
        Assert.Equal(2_000, ledger.Select(e => e.GetProperty("payload").GetProperty("properties").GetProperty("order_id").GetString()).Distinct().Count());
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task A_temporary_file_that_fails_under_the_run_ends_it_with_an_error_naming_the_folder_and_removes_the_files()
    {
        if (OperatingSystem.IsWindows()) return; // see SeenEventsTests.CutShort
        string set = await NewSetAsync();
        var host = new RecordingHost();
        // As in the first test, orders 0-299 come again at the end: their check reads the spilled runs.
        var rows = Enumerable.Range(0, 2_000).Concat(Enumerable.Range(0, 300)).Select(i => Rows.Row(i)).ToList();
        var options = new DeliveryOptions(set, new RowRuleOptions(new PiiNormalizer("US")))
        {
            FailedBatchPause = TimeSpan.FromMilliseconds(50), TemporaryFolder = _folder, SeenEventsInMemory = 64, GroupBy = EventGrouping.None,
        };
        using var client = new BusinessApiClient(_sandbox.Connection());
        var delivery = new EventDelivery(client, options, host, null);
        var shape = new EventShape(Rows.Header);
        long n = 0;
        foreach (var row in rows)
        {
            if (n == 1_900) SeenEventsTests.CutShort(_folder);
            delivery.Add(shape, ++n, n + 1, row, "test.csv");
        }
        var ex = Assert.Throws<DeliveryAbortedException>(() => delivery.Complete());
        Assert.NotNull(ex.TemporaryFileError);
        Assert.Equal(_folder, ex.TemporaryFileError!.Folder);
        Assert.Contains($"'{_folder}'", ex.Message);
        Assert.Contains("run again", ex.Message);
        // Whether the batch of rows 1,001-2,000 went before the run stopped, and how many rows were taken after it, is a
        // race; the repeat whose lookup failed is never counted as a repeat nor sent, and every row taken is accounted for.
        var summary = delivery.Summary();
        Assert.Equal(0, summary.DuplicatesInInput);
        Assert.True(summary.NotSent >= 1, $"not sent {summary.NotSent}");
        Assert.True(summary.Delivered <= 2_000, $"delivered {summary.Delivered}");
        Assert.Equal(summary.Read, summary.Delivered + summary.NotSent + summary.Skipped);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task A_line_after_its_order_was_sent_and_spilled_goes_as_an_event_of_its_own()
    {
        string set = await NewSetAsync();
        var host = new RecordingHost();
        // Order 0's second line comes 1,999 orders later: its order closed early (window of 5) and its key is on disk.
        var rows = Enumerable.Range(0, 2_000).Select(i => Rows.Row(i)).Append(Rows.Row(0, time: Rows.Time(61))).ToList();
        rows[^1][8] = "SKU-2";
        var summary = Send(set, rows, host, o =>
        {
            o.SeenEventsInMemory = 64;
            o.OrderWindow = 5;
        });
        Assert.Equal(1, summary.NotGrouped);
        Assert.Equal(2_001, summary.Delivered);
        Assert.Equal(0, summary.DuplicatesInInput);
        Assert.Empty(Directory.GetFiles(_folder));
    }
}
