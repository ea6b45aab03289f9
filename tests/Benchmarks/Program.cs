using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using OfflineEvents.Core.Pii;

// Usage: OfflineEvents.Benchmarks normalizer|csvread <export.csv> <result.json>
//        OfflineEvents.Benchmarks sandboxingest <events> <result.json> <api base uri> <token> <event set id>
//        OfflineEvents.Benchmarks journalfill <journal> <events> <event set id> <result.json>
//   normalizer:    the core normalizer+hasher alone, on one core, over the export's own email and phone values;
//   csvread:       a raw CsvHelper read that materializes every field as a string (the floor of any checker);
//   sandboxingest: how fast the sandbox takes ready-made 1,000-event batches, 4 in flight (the server's share
//                  of Send-OfflineEvent's time);
//   journalfill:   a journal holding that many delivered events of the event set, written straight into the database.
//   journalfloor:  the seconds a run's close took to index its events, replayed alone (see JournalFill.Floor).
//   seenset:       the run's repeat check (SeenEvents) against a SQLite-backed set, on the same keys (see SeenSet).
if (args.Length >= 5 && args[0] == "journalfill")
{
    return JournalFill.Run(args[1], long.Parse(args[2]), args[3], args[4]);
}
if (args.Length >= 3 && args[0] == "journaltrim")
{
    // OfflineEvents.Benchmarks journaltrim <journal> <events it was filled with>: back to the filled state.
    return JournalFill.Trim(args[1], long.Parse(args[2]));
}
if (args.Length >= 4 && args[0] == "journalrecent")
{
    // OfflineEvents.Benchmarks journalrecent <journal> <events> <event set id>: that many events in the recent level.
    return JournalFill.FillRecent(args[1], long.Parse(args[2]), args[3]);
}
if (args.Length >= 4 && args[0] == "seenset")
{
    // OfflineEvents.Benchmarks seenset seenevents|sqlite <keys> <folder>: the repeat check's time and memory, each way.
    return SeenSet.Run(args[1], long.Parse(args[2]), args[3]);
}
if (args.Length >= 3 && args[0] == "journalfloor")
{
    // OfflineEvents.Benchmarks journalfloor <journal one run wrote> <copy>: seconds its close took to index the run's events, and how many.
    return JournalFill.Floor(args[1], args[2]);
}
if (args.Length >= 3 && args[0] == "journalops")
{
    // For profiling the journal alone: OfflineEvents.Benchmarks journalops <journal> <batches of 1,000> [event set id]
    // (a filled journal's set id, so that the lookups and inserts land in its index). Prints each phase's time.
    string set = args.Length > 3 ? args[3] : "7300000000001000001";
    var total = Stopwatch.StartNew();
    var journal = OfflineEvents.Core.Delivery.DeliveryJournal.Open(args[1]);
    double open = total.Elapsed.TotalMilliseconds;
    journal.BeginRun(set);
    var lookups = new List<double>();
    var appends = new List<double>();
    for (int b = 0; b < int.Parse(args[2]); b++)
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => "oe1-" + Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant()).ToList();
        var clock = Stopwatch.StartNew();
        journal.FindDelivered(set, "Purchase", ids);
        lookups.Add(clock.Elapsed.TotalMilliseconds);
        clock.Restart();
        journal.Append("req", ids.Select(id => OfflineEvents.Core.Delivery.DeliveryJournal.Key(set, "Purchase", id)).ToList());
        appends.Add(clock.Elapsed.TotalMilliseconds);
    }
    var wal = new FileInfo(args[1] + "-wal");
    long walBytes = wal.Exists ? wal.Length : 0;
    var closing = Stopwatch.StartNew();
    journal.Dispose();
    string Times(List<double> t) => t.Count <= 10 ? string.Join(" ", t.Select(x => x.ToString("0.0"))) : $"mean {t.Average():0.00}, first {t[0]:0.0}, last tenth {t.Skip(t.Count * 9 / 10).Average():0.00}";
    Console.WriteLine($"open {open:0.0} ms; lookup ms/batch {Times(lookups)}; append ms/batch {Times(appends)}; close {closing.Elapsed.TotalMilliseconds:0.0} ms (WAL {walBytes / 4120} frames); total {total.Elapsed.TotalMilliseconds:0} ms");
    return 0;
}
if (args.Length >= 6 && args[0] == "sandboxingest")
{
    return await SandboxIngest.RunAsync(int.Parse(args[1]), args[2], new Uri(args[3]), args[4], args[5]);
}
if (args.Length >= 3 && args[0] == "export")
{
    // For profiling the exporter without PowerShell: OfflineEvents.Benchmarks export <export.csv> <upload.csv> [runs]
    return Profile(args.Length > 3 ? int.Parse(args[3]) : 3, () =>
    {
        var options = new OfflineEvents.Core.Delivery.UploadExportOptions(args[2], new OfflineEvents.Core.Rules.RowRuleOptions(new PiiNormalizer("US"))) { Force = true };
        using var exporter = new OfflineEvents.Core.Delivery.UploadFileExporter(options, new QuietHost());
        OfflineEvents.Core.Files.EventFileReader.Feed(args[1], exporter, 0, new FileInfo(args[1]).Length);
        var done = exporter.Complete();
        return (done.Read, $"{done.Written:N0} written, {done.Files.Count} file(s)");
    });
}
if (args.Length >= 2 && args[0] == "send-dry")
{
    // For profiling Send-OfflineEvent's client side without PowerShell or HTTP: OfflineEvents.Benchmarks send-dry <export.csv> [runs]
    return Profile(args.Length > 2 ? int.Parse(args[2]) : 3, () =>
    {
        var options = new OfflineEvents.Core.Delivery.DeliveryOptions("7300000000000000001", new OfflineEvents.Core.Rules.RowRuleOptions(new PiiNormalizer("US")));
        var delivery = new OfflineEvents.Core.Delivery.EventDelivery(null, options, new QuietHost(), null);
        OfflineEvents.Core.Files.EventFileReader.Feed(args[1], delivery, 0, new FileInfo(args[1]).Length);
        var done = delivery.Complete();
        return (done.Read, $"{done.NotSent:N0} prepared");
    });
}
if (args.Length >= 2 && args[0] == "check")
{
    // For profiling the file checker without PowerShell: OfflineEvents.Benchmarks check <export.csv> [runs]
    var checker = new OfflineEvents.Core.Files.OfflineEventFileChecker(new OfflineEvents.Core.Files.FileCheckOptions(
        new OfflineEvents.Core.Rules.RowRuleOptions(new PiiNormalizer("US"))));
    return Profile(args.Length > 2 ? int.Parse(args[2]) : 3, () =>
    {
        var check = checker.Check(args[1]);
        return (check.Rows, $"{check.Errors:N0} errors");
    });
}
if (args.Length < 3 || (args[0] != "normalizer" && args[0] != "csvread"))
{
    Console.Error.WriteLine("usage: OfflineEvents.Benchmarks normalizer|csvread <export.csv> <result.json>");
    return 2;
}
if (args[0] == "csvread")
{
    double best = double.MaxValue;
    long rows = 0;
    for (int run = 0; run < 3; run++)
    {
        var clock = Stopwatch.StartNew();
        using var stream = File.OpenRead(args[1]);
        using var csv = CsvHelper.CsvReader.Create(stream, new CsvHelper.CsvReaderOptions { Separator = ',' });
        rows = 0;
        while (csv.Read())
        {
            for (int i = 0; i < csv.FieldCount; i++) _ = csv.GetString(i);
            rows++;
        }
        best = Math.Min(best, clock.Elapsed.TotalSeconds);
    }
    var read = new Dictionary<string, object> { ["rows"] = rows, ["rows_per_second"] = rows / best, ["seconds"] = best };
    File.WriteAllText(args[2], JsonSerializer.Serialize(read));
    Console.WriteLine(JsonSerializer.Serialize(read));
    return 0;
}

var (emails, phones) = ReadColumns(args[1]);
var normalizer = new PiiNormalizer("US");
var result = new Dictionary<string, object>
{
    ["emails"] = emails.Count,
    ["phones"] = phones.Count,
    ["emails_per_second"] = Measure(emails, v => normalizer.Email(v).Outcome),
    ["phones_per_second"] = Measure(phones, v => normalizer.Phone(v).Outcome),
};
File.WriteAllText(args[2], JsonSerializer.Serialize(result));
Console.WriteLine(JsonSerializer.Serialize(result));
return 0;

// Warm once, then repeat whole passes for at least two seconds; one thread.
// The profiling modes: one pass per run, each reported with its rows/s and the GC counts so far.
static int Profile(int runs, Func<(long Rows, string Detail)> pass)
{
    for (int run = 0; run < runs; run++)
    {
        var clock = Stopwatch.StartNew();
        var (rows, detail) = pass();
        Console.WriteLine($"{rows / clock.Elapsed.TotalSeconds:N0} rows/s, {detail}; GCs {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}");
    }
    return 0;
}

static double Measure(List<string> values, Func<string, PiiOutcome> work)
{
    foreach (var v in values.Take(20000)) work(v);
    long done = 0;
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed < TimeSpan.FromSeconds(2))
    {
        foreach (var v in values) work(v);
        done += values.Count;
    }
    return done / clock.Elapsed.TotalSeconds;
}

// The generator writes RFC 4180 CSV; a small quote-aware splitter is enough to pull two columns.
static (List<string> Emails, List<string> Phones) ReadColumns(string path)
{
    var emails = new List<string>();
    var phones = new List<string>();
    using var reader = new StreamReader(path);
    var header = Split(reader.ReadLine() ?? string.Empty);
    int e = header.IndexOf("email"), p = header.IndexOf("phone");
    string? line;
    while ((line = reader.ReadLine()) != null)
    {
        var fields = Split(line);
        if (fields.Count <= Math.Max(e, p)) continue;
        if (fields[e].Length > 0) emails.Add(fields[e]);
        if (fields[p].Length > 0) phones.Add(fields[p]);
    }
    return (emails, phones);
}

static List<string> Split(string line)
{
    var fields = new List<string>();
    var current = new System.Text.StringBuilder();
    bool quoted = false;
    for (int i = 0; i < line.Length; i++)
    {
        char c = line[i];
        if (quoted)
        {
            if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
            else if (c == '"') quoted = false;
            else current.Append(c);
        }
        else if (c == '"') quoted = true;
        else if (c == ',') { fields.Add(current.ToString()); current.Clear(); }
        else current.Append(c);
    }
    fields.Add(current.ToString());
    return fields;
}

/// <summary>A host that drops what the exporter reports.</summary>
internal sealed class QuietHost : OfflineEvents.Core.Delivery.IDeliveryHost
{
    public System.Threading.Tasks.Task<bool> ApproveAsync(int batch, int events, long firstRow, long lastRow) => System.Threading.Tasks.Task.FromResult(false);
    public void BatchCompleted(OfflineEvents.Core.Delivery.BatchResult result) { }
    public void Verbose(string message) { }
    public void Debug(string message) { }
    public void Warning(string message) { }
    public void Rejected(OfflineEvents.Core.Delivery.RejectedEvent rejected) { }
    public void Progress(OfflineEvents.Core.Delivery.DeliveryProgress progress) { }
    public void Wait(System.Threading.Tasks.Task task) => task.Wait();
}
