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

/// <summary>Sends against a sandbox over HTTP, for the delivery facts that need a fault plan or a sandbox setting.</summary>
public abstract class DeliveryFactsBase
{
    protected readonly SandboxHost Sandbox;

    protected DeliveryFactsBase(SandboxHost sandbox) => Sandbox = sandbox;

    protected async Task<string> NewSetAsync()
    {
        using var api = new BusinessApiClient(Sandbox.Connection());
        return (await new EventSetClient(api).CreateAsync("facts " + Guid.NewGuid(), null, true, CancellationToken.None)).EventSetId;
    }

    private protected DeliverySummary Send(string setId, IEnumerable<string?[]> rows, RecordingHost host, DeliveryJournal? journal = null,
        Action<DeliveryOptions>? configure = null, ApiConnection? connection = null)
    {
        var options = new DeliveryOptions(setId, new RowRuleOptions(new PiiNormalizer("US"))) { FailedBatchPause = TimeSpan.FromMilliseconds(50) };
        configure?.Invoke(options);
        using var client = new BusinessApiClient(connection ?? Sandbox.Connection());
        var delivery = new EventDelivery(client, options, host, journal);
        var shape = new EventShape(Rows.Header);
        long n = 0;
        foreach (var row in rows) delivery.Add(shape, ++n, n + 1, row, "test.csv");
        return delivery.Complete();
    }

    /// <summary>A row the module's rules accept but the sandbox refuses under a plan's RefuseOrderIdPrefix "BAD-".</summary>
    protected static string?[] BadRow(int i)
    {
        var row = Rows.Row(i);
        row[6] = $"BAD-{i}";
        return row;
    }

    protected async Task<long> TrackRequestsAsync() => (await Sandbox.StatsAsync()).GetProperty("track_requests").GetInt64();

    protected static string TempJournal() => Path.Combine(Path.GetTempPath(), "oeps-" + Guid.NewGuid() + ".journal");

    protected static void AssertAddsUp(DeliverySummary s) => Assert.Equal(s.Read, s.Delivered + s.Skipped + s.Rejected + s.NotSent);
}

public class DeliveryFactsTests : DeliveryFactsBase, IClassFixture<SandboxHost>
{
    public DeliveryFactsTests(SandboxHost sandbox) : base(sandbox)
    {
    }

    [Fact]
    public async Task An_HTTP_500_claiming_code_0_is_neither_delivered_nor_journaled()
    {
        string set = await NewSetAsync();
        string path = TempJournal();
        await Sandbox.FaultsAsync(new { RandomRate = 1.0, RandomPath = "event/track", RandomFaults = new object[]
        {
            new { Kind = "Http", Status = 500, Body = "{\"code\":0,\"message\":\"OK\",\"request_id\":\"{request_id}\",\"data\":{}}" },
        } });
        try
        {
            using var journal = DeliveryJournal.Open(path);
            var ex = Assert.Throws<DeliveryAbortedException>(() =>
                Send(set, Enumerable.Range(1, 20).Select(i => Rows.Row(i)), new RecordingHost(), journal, connection: Sandbox.Connection(maxRetries: 1)));
            Assert.True(ex.CircuitBroken);
            Assert.Equal(500, ex.ApiError.HttpStatus);
            Assert.Equal(0, journal.Count);
        }
        finally
        {
            await Sandbox.FaultsAsync(new { });
            File.Delete(path);
        }
    }

    // A short outage: every event/track request fails for 1 s from the first. Each batch fails, pauses 0.7 s, and fails
    // or gets through (a third round starts at least 1.4 s in, after the outage); the run must ride it out whether one
    // batch is in flight or four (four used to count as three "failures in a row" at once and open the circuit before
    // any pause). The outage is long enough that a retry delayed by a busy machine still meets it.
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task A_short_outage_is_ridden_out_whatever_the_throttle_limit(int inFlight)
    {
        string set = await NewSetAsync();
        var host = new RecordingHost();
        await Sandbox.FaultsAsync(new { Rules = new object[] { new { Kind = "Http", Status = 503, DurationMs = 1000, Path = "event/track" } } });
        DeliverySummary summary;
        try
        {
            summary = Send(set, Enumerable.Range(1, 40).Select(i => Rows.Row(i)), host,
                configure: o => { o.BatchSize = 10; o.MaxBatchesInFlight = inFlight; o.FailedBatchPause = TimeSpan.FromMilliseconds(700); },
                connection: Sandbox.Connection(maxRetries: 1));
        }
        finally
        {
            await Sandbox.FaultsAsync(new { });
        }
        Assert.Equal(40, summary.Delivered);
        Assert.Contains(host.Messages, m => m.Contains("Trying it again in 0.7 s"));
        Assert.Equal(40, (await Sandbox.LedgerAsync(set)).Length);
    }

    [Fact]
    public async Task A_sustained_outage_still_opens_the_circuit_with_four_batches_in_flight_after_the_pauses()
    {
        string set = await NewSetAsync();
        string path = TempJournal();
        await Sandbox.FaultsAsync(new { RandomRate = 1.0, RandomPath = "event/track", RandomFaults = new object[] { new { Kind = "Http", Status = 503 } } });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            using var journal = DeliveryJournal.Open(path);
            var host = new RecordingHost();
            var ex = Assert.Throws<DeliveryAbortedException>(() => Send(set, Enumerable.Range(1, 40).Select(i => Rows.Row(i)), host, journal,
                o => { o.BatchSize = 10; o.MaxBatchesInFlight = 4; o.FailedBatchPause = TimeSpan.FromMilliseconds(150); }, Sandbox.Connection(maxRetries: 1)));
            Assert.True(ex.CircuitBroken);
            Assert.Matches("batch \\d+ failed 3 times in a row", ex.Message);
            // Three failed rounds of one batch: two pauses passed before the circuit opened.
            Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(300), $"{clock.Elapsed.TotalMilliseconds} ms");
            Assert.Equal(0, journal.Count);
        }
        finally
        {
            await Sandbox.FaultsAsync(new { });
            File.Delete(path);
        }
        Assert.Empty(await Sandbox.LedgerAsync(set));
    }

    [Fact]
    public async Task Events_repeated_in_one_run_are_sent_once_without_a_journal()
    {
        string set = await NewSetAsync();
        long before = await TrackRequestsAsync();
        var rows = Enumerable.Repeat(0, 1000).Select(_ => Rows.Row(1)).Append(Rows.Row(2)).Append(Rows.Row(2));
        var summary = Send(set, rows, new RecordingHost());
        Assert.Equal(2, summary.Delivered);
        Assert.Equal(1000, summary.Skipped);
        Assert.Equal(1000, summary.DuplicatesInInput);
        AssertAddsUp(summary);
        Assert.Equal(1, await TrackRequestsAsync() - before);
        Assert.Equal(2, (await Sandbox.LedgerAsync(set)).Length);
    }

    [Fact]
    public async Task Partner_name_is_sent_only_when_given_and_must_be_registered()
    {
        string set = await NewSetAsync();
        Assert.Equal(1, Send(set, new[] { Rows.Row(1) }, new RecordingHost()).Delivered);
        Assert.Equal(1, Send(set, new[] { Rows.Row(2) }, new RecordingHost(), configure: o => o.PartnerName = "OfflineEventsSandboxPartner").Delivered);
        var refused = Assert.Throws<DeliveryAbortedException>(() => Send(set, new[] { Rows.Row(3) }, new RecordingHost(), configure: o => o.PartnerName = "SomeoneElse"));
        Assert.Equal(40063, refused.ApiError.Code);
        Assert.Contains("partner_name", refused.Message);
    }

    [Fact]
    public async Task The_test_event_code_goes_inside_each_event()
    {
        string set = await NewSetAsync();
        Assert.Equal(2, Send(set, new[] { Rows.Row(1), Rows.Row(2) }, new RecordingHost(), configure: o => o.TestEventCode = "TEST42").Delivered);
        Assert.All(await Sandbox.LedgerAsync(set), e => Assert.Equal("TEST42", e.GetProperty("payload").GetProperty("test_event_code").GetString()));
    }

    [Fact]
    public async Task A_partial_success_is_not_journaled_and_the_next_run_resends_it()
    {
        string set = await NewSetAsync();
        string path = TempJournal();
        await Sandbox.FaultsAsync(new { Rules = new object[] { new { Kind = "Api", Code = 20001, Times = 1, Path = "event/track" } } });
        try
        {
            var host = new RecordingHost();
            var rows = Enumerable.Range(1, 10).Select(i => Rows.Row(i)).ToList();
            using (var journal = DeliveryJournal.Open(path))
            {
                var first = Send(set, rows, host, journal);
                Assert.Equal(0, first.Delivered);
                Assert.Equal(10, first.NotSent);
                Assert.Equal(0, journal.Count);
                string requestId = Assert.Single(first.RequestIds);
                Assert.Contains(host.Messages, m => m.Contains("20001") && m.Contains(requestId) && m.Contains("Injected fault"));
                Assert.Contains("20001", host.Batches.Single().Note);
            }
            using (var journal = DeliveryJournal.Open(path))
            {
                var second = Send(set, rows, new RecordingHost(), journal);
                Assert.Equal(10, second.Delivered);
                Assert.Equal(10, journal.Count);
            }
            Assert.Equal(10, (await Sandbox.LedgerAsync(set)).Length);
        }
        finally
        {
            await Sandbox.FaultsAsync(new { });
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_duplicated_request_answer_to_a_retry_means_the_batch_arrived()
    {
        string set = await NewSetAsync();
        string path = TempJournal();
        // The first attempt is answered too late for the client (it gives up and retries) but processed; the retry
        // is answered 40050.
        await Sandbox.FaultsAsync(new { Rules = new object[]
        {
            new { Kind = "Delay", DelayMs = 1200, Times = 1, Path = "event/track" },
            new { Kind = "Api", Code = 40050, Times = 1, Path = "event/track" },
        } });
        try
        {
            using var journal = DeliveryJournal.Open(path);
            var summary = Send(set, Enumerable.Range(1, 5).Select(i => Rows.Row(i)), new RecordingHost(), journal,
                connection: Sandbox.Connection(maxRetries: 2, timeoutSeconds: 0.4));
            Assert.Equal(5, summary.Delivered);
            Assert.Equal(1, summary.Retries);
            Assert.Equal(5, journal.Count);
            var deadline = DateTime.UtcNow.AddSeconds(5);
            while ((await Sandbox.LedgerAsync(set)).Length < 5 && DateTime.UtcNow < deadline) await Task.Delay(50);
            Assert.Equal(5, (await Sandbox.LedgerAsync(set)).Length);
        }
        finally
        {
            await Sandbox.FaultsAsync(new { });
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_duplicated_request_code_under_an_HTTP_error_status_is_not_taken_as_delivered()
    {
        string set = await NewSetAsync();
        string path = TempJournal();
        // A gateway's 500 whose body claims 40050: the events did not arrive, so the batch is retried, not journaled.
        await Sandbox.FaultsAsync(new { Rules = new object[]
        {
            new { Kind = "Http", Status = 500, Body = "{\"code\":40050,\"message\":\"Duplicated request\",\"request_id\":\"{request_id}\",\"data\":{}}", Times = 1, Path = "event/track" },
        } });
        try
        {
            using var journal = DeliveryJournal.Open(path);
            var summary = Send(set, Enumerable.Range(1, 5).Select(i => Rows.Row(i)), new RecordingHost(), journal,
                connection: Sandbox.Connection(maxRetries: 2));
            Assert.Equal(1, summary.Retries);
            Assert.Equal(5, summary.Delivered);
            Assert.Equal(5, journal.Count);
            Assert.Equal(5, (await Sandbox.LedgerAsync(set)).Length);
        }
        finally
        {
            await Sandbox.FaultsAsync(new { });
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Bad_events_named_as_data_N_are_rejected_in_one_round()
    {
        string set = await NewSetAsync();
        var host = new RecordingHost();
        await Sandbox.FaultsAsync(new { RefuseOrderIdPrefix = "BAD-" });
        try
        {
            var summary = Send(set, Enumerable.Range(1, 1000).Select(i => i == 437 || i == 901 ? BadRow(i) : Rows.Row(i)), host);
            Assert.Equal(998, summary.Delivered);
            Assert.Equal(new long[] { 437, 901 }, host.Rejects.Select(r => r.Row).OrderBy(r => r));
            Assert.All(host.Rejects, r => Assert.Contains("properties.order_id: Invalid value", r.Reason));
            Assert.Equal(2, summary.Requests);
        }
        finally
        {
            await Sandbox.FaultsAsync(new { });
        }
    }

    [Fact]
    public async Task A_batch_whose_every_event_is_bad_is_settled_in_a_few_requests()
    {
        string set = await NewSetAsync();
        var host = new RecordingHost();
        await Sandbox.FaultsAsync(new { RefuseOrderIdPrefix = "BAD-" });
        try
        {
            long before = await TrackRequestsAsync();
            // With a reject file the host gets every reject, the first 100 of the rule marked for an error record each.
            var summary = Send(set, Enumerable.Range(1, 1000).Select(BadRow), host, configure: o => o.RejectPath = "rejects.csv");
            long requests = await TrackRequestsAsync() - before;
            Assert.Equal(1000, summary.Rejected);
            Assert.Equal(1000, summary.RejectedByApi);
            Assert.Equal(0, summary.Delivered);
            Assert.Equal(1000, host.Rejects.Select(r => r.Row).Distinct().Count());
            Assert.Equal(DeliveryOptions.DefaultRejectsReportedPerRule, host.Rejects.Count(r => r.Reported));
            Assert.All(host.Rejects, r => Assert.Contains("properties.order_id", r.Reason));
            Assert.True(requests <= 12, $"{requests} requests");
            Assert.Equal(requests, summary.Requests);
        }
        finally
        {
            await Sandbox.FaultsAsync(new { });
        }
        Assert.Empty(await Sandbox.LedgerAsync(set));
    }
}

/// <summary>A sandbox that names bad events the retired pixel/batch way ("Batch.3.event_time").</summary>
public sealed class LegacyIndexSandboxHost : SandboxHost
{
    public LegacyIndexSandboxHost() : base("--Sandbox:RateLimitPerSecond=0", "--Sandbox:ItemErrorPrefix=Batch")
    {
    }
}

public class LegacyIndexDeliveryTests : DeliveryFactsBase, IClassFixture<LegacyIndexSandboxHost>
{
    public LegacyIndexDeliveryTests(LegacyIndexSandboxHost sandbox) : base(sandbox)
    {
    }

    [Fact]
    public async Task Bad_events_named_as_Batch_N_are_rejected_in_one_round_too()
    {
        string set = await NewSetAsync();
        var host = new RecordingHost();
        await Sandbox.FaultsAsync(new { RefuseOrderIdPrefix = "BAD-" });
        var summary = Send(set, Enumerable.Range(1, 300).Select(i => i == 12 ? BadRow(i) : Rows.Row(i)), host);
        Assert.Equal(299, summary.Delivered);
        Assert.Equal(12, Assert.Single(host.Rejects).Row);
        Assert.Contains("Batch.11.properties.order_id", host.Rejects.Single().Reason);
        Assert.Equal(2, summary.Requests);
    }
}

public class AnonymousDeliveryTests : DeliveryFactsBase, IClassFixture<AnonymousErrorsSandboxHost>
{
    public AnonymousDeliveryTests(AnonymousErrorsSandboxHost sandbox) : base(sandbox)
    {
    }

    [Fact]
    public async Task Without_names_a_batch_whose_every_event_is_bad_is_settled_in_a_few_requests()
    {
        string set = await NewSetAsync();
        var host = new RecordingHost();
        await Sandbox.FaultsAsync(new { RefuseOrderIdPrefix = "BAD-" });
        try
        {
            long before = await TrackRequestsAsync();
            // With a reject file the host gets every reject, the first 100 of the rule marked for an error record each.
            var summary = Send(set, Enumerable.Range(1, 1000).Select(BadRow), host, configure: o => o.RejectPath = "rejects.csv");
            Assert.Equal(1000, summary.Rejected);
            Assert.Equal(1000, host.Rejects.Select(r => r.Row).Distinct().Count());
            Assert.Equal(DeliveryOptions.DefaultRejectsReportedPerRule, host.Rejects.Count(r => r.Reported));
            long requests = await TrackRequestsAsync() - before;
            Assert.True(requests <= 12, $"{requests} requests");
        }
        finally
        {
            await Sandbox.FaultsAsync(new { });
        }
    }

    [Fact]
    public async Task Without_names_a_few_bad_events_among_good_ones_are_still_found_one_by_one()
    {
        string set = await NewSetAsync();
        var host = new RecordingHost();
        await Sandbox.FaultsAsync(new { RefuseOrderIdPrefix = "BAD-" });
        try
        {
            // Bad events in both halves fail them the same way; the single events tried then show the rest is good.
            var bad = new HashSet<int> { 1, 130, 500, 999 };
            var summary = Send(set, Enumerable.Range(1, 1000).Select(i => bad.Contains(i) ? BadRow(i) : Rows.Row(i)), host);
            Assert.Equal(996, summary.Delivered);
            Assert.Equal(bad.Select(i => (long)i).OrderBy(i => i), host.Rejects.Select(r => r.Row).OrderBy(r => r));
            Assert.True(summary.Requests < 100, $"{summary.Requests} requests");
        }
        finally
        {
            await Sandbox.FaultsAsync(new { });
        }
        Assert.Equal(996, (await Sandbox.LedgerAsync(set)).Length);
    }
}
