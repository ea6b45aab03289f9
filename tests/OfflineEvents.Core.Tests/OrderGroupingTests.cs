using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using OfflineEvents.Core.Api;
using OfflineEvents.Core.Delivery;
using OfflineEvents.Core.EventSets;
using OfflineEvents.Core.Pii;
using OfflineEvents.Core.Rules;
using Xunit;

namespace OfflineEvents.Core.Tests;

/// <summary>Order-level events (-GroupBy Order), price as the row's total, identity per key: over real HTTP to the sandbox.</summary>
public class OrderGroupingTests : IClassFixture<SandboxHost>
{
    private static readonly string[] Header = { "event_type", "email", "phone", "timestamp", "price", "currency", "order_id", "quantity", "product_id", "product_name", "store_id" };
    private readonly SandboxHost _sandbox;

    public OrderGroupingTests(SandboxHost sandbox) => _sandbox = sandbox;

    private static string Time(int minutesAgo) => DateTimeOffset.UtcNow.AddMinutes(-minutesAgo).ToString("yyyy-MM-ddTHH:mm:ssZ");

    private static readonly string T1 = Time(90), T2 = Time(80), T3 = Time(70);

    private static string?[] Line(string order, string? email, string product, string quantity, string price, string? time = null, string store = "s1",
        string currency = "USD", string phone = "", string name = "") =>
        new string?[] { "Purchase", email ?? "", phone, time ?? T2, price, currency, order, quantity, product, name, store };

    private async Task<string> NewSetAsync()
    {
        using var api = new BusinessApiClient(_sandbox.Connection());
        return (await new EventSetClient(api).CreateAsync("orders " + Guid.NewGuid(), null, true, CancellationToken.None)).EventSetId;
    }

    private DeliverySummary Send(string set, IEnumerable<string?[]> rows, RecordingHost host, Action<DeliveryOptions>? configure = null,
        string[]? header = null, DeliveryJournal? journal = null)
    {
        var options = new DeliveryOptions(set, new RowRuleOptions(new PiiNormalizer("US"))) { FailedBatchPause = TimeSpan.FromMilliseconds(50) };
        configure?.Invoke(options);
        using var client = new BusinessApiClient(_sandbox.Connection());
        var delivery = new EventDelivery(client, options, host, journal);
        var shape = new EventShape(header ?? Header);
        long n = 0;
        foreach (var row in rows) delivery.Add(shape, ++n, n + 1, row, "orders.csv");
        return delivery.Complete();
    }

    private async Task<Dictionary<string, JsonElement>> EventsByOrderAsync(string set) =>
        (await _sandbox.LedgerAsync(set)).Select(e => e.GetProperty("payload"))
            .ToDictionary(p => p.GetProperty("properties").GetProperty("order_id").GetString()! + "@" + p.GetProperty("properties").GetProperty("shop_id").GetString());

    private static void AssertRowsAddUp(DeliverySummary s) =>
        Assert.Equal(s.Read, s.DeliveredRows + s.Skipped + s.Rejected + s.NotSentRows + s.Unidentified);

    private static string[] Strings(JsonElement user, string field) =>
        !user.TryGetProperty(field, out var v) ? Array.Empty<string>()
        : v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().Select(x => x.GetString()!).ToArray() : new[] { v.GetString()! };

    [Fact]
    public async Task The_lines_of_an_order_arrive_as_one_event_with_its_contents_value_identifiers_and_earliest_time()
    {
        string set = await NewSetAsync();
        var rows = new[]
        {
            Line("1001", "Ann@Example.com", "SKU-1", "3", "30.00", T2, name: "Mug"),
            Line("1002", "bob@example.com", "SKU-9", "1", "5"),
            Line("1001", "", "SKU-2", "1", "4.50", T1),               // not adjacent, no email, earlier
            Line("1003", "cy@example.com", "SKU-3", "2", "10"),
            Line("1001", "ann.other@example.com", "SKU-3", "2", "7", T3, phone: "+1 213 373 4253"),
        };
        var host = new RecordingHost();
        var summary = Send(set, rows, host);

        Assert.Equal(5, summary.Read);
        Assert.Equal(3, summary.Events);
        Assert.Equal(5, summary.RowsInEvents);
        Assert.Equal(3, summary.Delivered);
        Assert.Equal(5, summary.DeliveredRows);
        AssertRowsAddUp(summary);
        var events = await EventsByOrderAsync(set);
        Assert.Equal(3, events.Count);
        var order = events["1001@s1"];
        Assert.Equal(DateTimeOffset.Parse(T1).ToUnixTimeSeconds(), order.GetProperty("event_time").GetInt64());
        Assert.Equal(EventIds.ForOrder("Purchase", "1001", "s1", false), order.GetProperty("event_id").GetString());
        var p = order.GetProperty("properties");
        Assert.Equal(41.5m, p.GetProperty("value").GetDecimal()); // 30 + 4.50 + 7: the rows' totals
        var contents = p.GetProperty("contents").EnumerateArray().ToArray();
        Assert.Equal(new[] { "SKU-1", "SKU-2", "SKU-3" }, contents.Select(c => c.GetProperty("content_id").GetString()));
        Assert.Equal(new[] { 10m, 4.5m, 3.5m }, contents.Select(c => c.GetProperty("price").GetDecimal()));
        Assert.Equal(new[] { 3, 1, 2 }, contents.Select(c => c.GetProperty("quantity").GetInt32()));
        Assert.Equal("Mug", contents[0].GetProperty("content_name").GetString());
        Assert.False(contents[1].TryGetProperty("content_name", out _));
        var user = order.GetProperty("user");
        Assert.Equal(new[] { Sha256Hex.Hash("ann@example.com"), Sha256Hex.Hash("ann.other@example.com") }, Strings(user, "email"));
        Assert.Equal(new[] { Sha256Hex.Hash("+12133734253") }, Strings(user, "phone"));
        Assert.Equal(5m, events["1002@s1"].GetProperty("properties").GetProperty("value").GetDecimal());
    }

    [Fact]
    public async Task Unit_prices_make_the_value_the_sum_of_price_times_quantity()
    {
        string set = await NewSetAsync();
        var rows = new[] { Line("2001", "a@example.com", "SKU-1", "3", "30"), Line("2001", "", "SKU-2", "2", "4.25") };
        var summary = Send(set, rows, new RecordingHost(), o => o.Rows.PriceIs = PriceMeaning.UnitPrice);
        Assert.Equal(1, summary.Delivered);
        var p = (await EventsByOrderAsync(set))["2001@s1"].GetProperty("properties");
        Assert.Equal(98.5m, p.GetProperty("value").GetDecimal());
        Assert.Equal(new[] { 30m, 4.25m }, p.GetProperty("contents").EnumerateArray().Select(c => c.GetProperty("price").GetDecimal()));
    }

    [Fact]
    public async Task GroupBy_None_keeps_one_event_per_row()
    {
        string set = await NewSetAsync();
        var rows = new[] { Line("3001", "a@example.com", "SKU-1", "3", "30"), Line("3001", "a@example.com", "SKU-2", "1", "5") };
        var summary = Send(set, rows, new RecordingHost(), o => o.GroupBy = EventGrouping.None);
        Assert.Equal(2, summary.Delivered);
        Assert.Equal(2, summary.Events);
        var ledger = (await _sandbox.LedgerAsync(set)).Select(e => e.GetProperty("payload")).ToArray();
        Assert.Equal(new[] { 30m, 5m }, ledger.Select(e => e.GetProperty("properties").GetProperty("value").GetDecimal()).OrderByDescending(v => v));
        Assert.All(ledger, e => Assert.Single(e.GetProperty("properties").GetProperty("contents").EnumerateArray()));
    }

    [Fact]
    public async Task Two_stores_order_1001_are_two_events_and_rows_without_an_order_id_one_each()
    {
        string set = await NewSetAsync();
        var rows = new[]
        {
            Line("1001", "a@example.com", "SKU-1", "1", "10", store: "north"), Line("1001", "b@example.com", "SKU-1", "1", "10", store: "south"),
            Line("", "c@example.com", "SKU-1", "1", "10"), Line("", "c@example.com", "SKU-2", "1", "10"),
        };
        var summary = Send(set, rows, new RecordingHost());
        Assert.Equal(4, summary.Delivered);
        var ids = (await _sandbox.LedgerAsync(set)).Select(e => e.GetProperty("event_id").GetString()).ToList();
        Assert.Contains(EventIds.ForOrder("Purchase", "1001", "north", false), ids);
        Assert.Contains(EventIds.ForOrder("Purchase", "1001", "south", false), ids);
    }

    [Fact]
    public async Task Past_the_window_a_late_line_is_sent_alone_with_a_warning_and_nothing_is_lost()
    {
        string set = await NewSetAsync();
        var rows = new[]
        {
            Line("A", "a@example.com", "SKU-1", "1", "10"), Line("B", "b@example.com", "SKU-1", "1", "10"),
            Line("C", "c@example.com", "SKU-1", "1", "10"), Line("A", "a@example.com", "SKU-2", "1", "5"), Line("C", "", "SKU-2", "1", "5"),
        };
        var summary = Send(set, rows, new RecordingHost(), o => o.OrderWindow = 2);
        Assert.Equal(4, summary.Delivered); // A, B, C (with its second line), and A's late line alone
        Assert.Equal(1, summary.NotGrouped);
        Assert.Equal(1, summary.WarningsByRule[RuleIds.OrderNotGrouped]);
        Assert.Equal(5, summary.DeliveredRows);
        AssertRowsAddUp(summary);
        var ledger = (await _sandbox.LedgerAsync(set)).Select(e => e.GetProperty("payload")).ToArray();
        Assert.Equal(2, ledger.Count(e => e.GetProperty("properties").GetProperty("order_id").GetString() == "A"));
        var c = ledger.Single(e => e.GetProperty("properties").GetProperty("order_id").GetString() == "C");
        Assert.Equal(15m, c.GetProperty("properties").GetProperty("value").GetDecimal());
    }

    [Fact]
    public async Task Conflicting_currencies_warn_and_the_value_counts_the_first_line_s_currency()
    {
        string set = await NewSetAsync();
        var rows = new[] { Line("4001", "a@example.com", "SKU-1", "1", "10"), Line("4001", "", "SKU-2", "1", "7", currency: "EUR") };
        var summary = Send(set, rows, new RecordingHost());
        Assert.Equal(1, summary.WarningsByRule[RuleIds.OrderCurrencyConflict]);
        var p = (await EventsByOrderAsync(set))["4001@s1"].GetProperty("properties");
        Assert.Equal("USD", p.GetProperty("currency").GetString());
        Assert.Equal(10m, p.GetProperty("value").GetDecimal());
        Assert.Equal(2, p.GetProperty("contents").GetArrayLength());
    }

    [Fact]
    public async Task A_rejected_line_goes_to_the_rejects_the_order_goes_without_it_and_the_fixed_line_arrives_when_resent()
    {
        string set = await NewSetAsync();
        var rows = new[] { Line("5001", "a@example.com", "SKU-1", "1", "10"), Line("5001", "", "SKU-2", "1", "5¢") };
        var host = new RecordingHost();
        var summary = Send(set, rows, host);
        Assert.Equal(1, summary.Delivered);
        Assert.Equal(1, summary.Rejected);
        AssertRowsAddUp(summary);
        var reject = Assert.Single(host.Rejects);
        Assert.Equal(2, reject.Row);
        Assert.Equal(10m, (await EventsByOrderAsync(set))["5001@s1"].GetProperty("properties").GetProperty("value").GetDecimal());

        // The reject file, fixed: its columns plus source_row, rule_id...: an order's rest, with an id of its own.
        var rejectHeader = Header.Concat(RejectFileWriter.ExtraColumns).ToArray();
        var fixedLine = Line("5001", "a@example.com", "SKU-2", "1", "5").Concat(new string?[] { "orders.csv", "3", "2", "PriceInvalid", "..." }).ToArray();
        var resent = Send(set, new[] { fixedLine }, new RecordingHost(), header: rejectHeader);
        Assert.Equal(1, resent.Delivered);
        var ids = (await _sandbox.LedgerAsync(set)).Select(e => e.GetProperty("event_id").GetString()).ToList();
        Assert.Equal(2, ids.Count);
        Assert.Contains(EventIds.ForOrder("Purchase", "5001", "s1", rest: true), ids);
    }

    [Fact]
    public async Task TikTok_rejecting_an_order_rejects_every_line_of_it()
    {
        string set = await NewSetAsync();
        await _sandbox.FaultsAsync(new { RefuseOrderIdPrefix = "BAD-" });
        try
        {
            var rows = new[] { Line("BAD-1", "a@example.com", "SKU-1", "1", "10"), Line("OK-1", "b@example.com", "SKU-1", "1", "10"), Line("BAD-1", "", "SKU-2", "1", "5") };
            var host = new RecordingHost();
            var summary = Send(set, rows, host);
            Assert.Equal(1, summary.Delivered);
            Assert.Equal(2, summary.Rejected);
            Assert.Equal(new long[] { 1, 3 }, host.Rejects.Select(r => r.Row).OrderBy(r => r));
            Assert.Equal(1, summary.Events);
            AssertRowsAddUp(summary);
        }
        finally
        {
            await _sandbox.FaultsAsync(new { });
        }
    }

    [Fact]
    public async Task Rows_without_email_or_phone_are_unidentified_not_rejects_unless_their_order_has_one()
    {
        string set = await NewSetAsync();
        var rows = new[]
        {
            Line("", "", "SKU-1", "1", "10"),                      // walk-in sale: unidentified
            Line("6001", "", "SKU-1", "1", "10"), Line("6001", "", "SKU-2", "1", "10"), // an order with no one on it
            Line("6002", "", "SKU-1", "1", "10"), Line("6002", "d@example.com", "SKU-2", "1", "10"),
            Line("", "not-an-email", "SKU-1", "1", "10"),          // nothing valid: a reject
        };
        var host = new RecordingHost();
        var summary = Send(set, rows, host);
        Assert.Equal(3, summary.Unidentified);
        Assert.Equal(1, summary.Rejected);
        Assert.Equal(1, summary.Delivered);
        Assert.Equal(2, summary.DeliveredRows);
        AssertRowsAddUp(summary);
        Assert.Equal(100.0 / 3, summary.RejectedPercent, 6); // 1 of the 3 rows that could be sent
        Assert.Single(host.Rejects);
    }

    [Fact]
    public async Task An_invalid_email_beside_a_valid_phone_is_left_out_and_the_row_arrives_with_the_phone()
    {
        string set = await NewSetAsync();
        var rows = new[] { Line("", "jo@example", "SKU-1", "1", "10", phone: "(213) 373-4253") };
        var summary = Send(set, rows, new RecordingHost());
        Assert.Equal(1, summary.Delivered);
        Assert.Equal(0, summary.Rejected);
        Assert.Equal(1, summary.WarningsByRule[RuleIds.EmailInvalid]);
        var user = (await _sandbox.LedgerAsync(set)).Single().GetProperty("payload").GetProperty("user");
        Assert.False(user.TryGetProperty("email", out _));
        Assert.Equal(Sha256Hex.Hash("+12133734253"), user.GetProperty("phone").GetString());
    }

    [Fact]
    public async Task A_line_repeated_in_the_input_is_skipped_as_a_repeat_and_a_rerun_with_the_journal_sends_nothing()
    {
        string set = await NewSetAsync();
        var rows = new[] { Line("7001", "a@example.com", "SKU-1", "1", "10"), Line("7001", "", "SKU-2", "1", "5"), Line("7001", "a@example.com", "SKU-1", "1", "10") };
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "oeps-orders-" + Guid.NewGuid() + ".journal");
        try
        {
            using (var journal = DeliveryJournal.Open(path))
            {
                var first = Send(set, rows, new RecordingHost(), journal: journal);
                Assert.Equal(1, first.Delivered);
                Assert.Equal(1, first.DuplicatesInInput);
                AssertRowsAddUp(first);
            }
            Assert.Equal(15m, (await EventsByOrderAsync(set))["7001@s1"].GetProperty("properties").GetProperty("value").GetDecimal());
            using (var journal = DeliveryJournal.Open(path))
            {
                var again = Send(set, rows, new RecordingHost(), journal: journal);
                Assert.Equal(0, again.Delivered);
                Assert.Equal(3, again.Skipped);
                AssertRowsAddUp(again);
            }
        }
        finally
        {
            foreach (var f in System.IO.Directory.GetFiles(System.IO.Path.GetTempPath(), System.IO.Path.GetFileName(path) + "*")) System.IO.File.Delete(f);
        }
    }
}
