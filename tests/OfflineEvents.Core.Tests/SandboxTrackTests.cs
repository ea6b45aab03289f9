using System;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using OfflineEvents.Core.Api;
using OfflineEvents.Core.EventSets;
using Xunit;

namespace OfflineEvents.Core.Tests;

/// <summary>The sandbox's event/track contract: the stand-in must be as strict as TikTok is documented to be.</summary>
public class SandboxTrackTests : IClassFixture<SandboxHost>
{
    private const string Hash = "848a771458438fc2ec420560d769fb9b9b86851ee338ec56517baabd79d3bb4f";
    private readonly SandboxHost _sandbox;

    public SandboxTrackTests(SandboxHost sandbox) => _sandbox = sandbox;

    private async Task<string> NewSetAsync()
    {
        using var api = new BusinessApiClient(_sandbox.Connection());
        return (await new EventSetClient(api).CreateAsync("track " + Guid.NewGuid(), null, true, CancellationToken.None)).EventSetId;
    }

    private static JsonObject Event(string id, string name = "CompletePayment") => new()
    {
        ["event"] = name,
        ["event_time"] = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds(),
        ["event_id"] = id,
        ["user"] = new JsonObject { ["email"] = Hash },
        ["properties"] = new JsonObject
        {
            ["value"] = 12.5,
            ["currency"] = "USD",
            ["contents"] = new JsonArray(new JsonObject { ["content_id"] = "sku-1", ["price"] = 12.5, ["quantity"] = 1 }),
        },
    };

    private async Task<(int Code, string Message)> TrackAsync(string setId, params JsonNode[] events)
    {
        var body = new JsonObject { ["event_source"] = "offline", ["event_source_id"] = setId, ["data"] = new JsonArray(events) };
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_sandbox.BaseUri, "/open_api/v1.3/event/track/"))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Access-Token", SandboxHost.Token);
        var doc = JsonDocument.Parse(await (await http.SendAsync(request)).Content.ReadAsStringAsync()).RootElement;
        return (doc.GetProperty("code").GetInt32(), doc.GetProperty("message").GetString()!);
    }

    [Fact]
    public async Task Valid_events_are_ledgered_once_per_set_event_and_event_id()
    {
        string set = await NewSetAsync();
        Assert.Equal(0, (await TrackAsync(set, Event("a"), Event("b"), Event("a", "Contact"))).Code);
        Assert.Equal(0, (await TrackAsync(set, Event("a"), Event("c"))).Code);
        var ledger = await _sandbox.LedgerAsync(set);
        Assert.Equal(new[] { "CompletePayment/a", "CompletePayment/b", "Contact/a", "CompletePayment/c" },
            ledger.Select(e => e.GetProperty("event").GetString() + "/" + e.GetProperty("event_id").GetString()));
    }

    [Fact]
    public async Task One_bad_event_fails_the_whole_batch_naming_its_index()
    {
        string set = await NewSetAsync();
        var bad = Event("x");
        bad["properties"]!["contents"]![0]!["content_id"] = 42;
        var (code, message) = await TrackAsync(set, Event("ok"), bad);
        Assert.Equal(40002, code);
        Assert.Contains("data.1.properties.contents.0.content_id: Not a valid string", message);
        Assert.Empty(await _sandbox.LedgerAsync(set));
    }

    [Fact]
    public async Task Numeric_event_id_and_string_event_time_are_rejected()
    {
        string set = await NewSetAsync();
        var e = Event("x");
        e["event_id"] = 7;
        e["event_time"] = "2026-01-01T00:00:00Z";
        var (code, message) = await TrackAsync(set, e);
        Assert.Equal(40002, code);
        Assert.Contains("data.0.event_id: Not a valid string", message);
        Assert.Contains("data.0.event_time: Not a valid integer", message);
    }

    [Theory]
    [InlineData(946_684_799L, 40002)] // 1999-12-31T23:59:59Z: before 2000, refused like the module's rules refuse it
    [InlineData(0L, 40002)]           // the Unix epoch, an "empty" date
    [InlineData(946_684_800L, 0)]     // 2000-01-01T00:00:00Z, the earliest time the module sends
    public async Task Times_before_2000_are_refused(long eventTime, int expected)
    {
        string set = await NewSetAsync();
        var e = Event("t" + eventTime);
        e["event_time"] = eventTime;
        Assert.Equal(expected, (await TrackAsync(set, e)).Code);
    }

    [Theory]
    [InlineData(2147483647L, 0)]
    [InlineData(2147483648L, 40002)] // TikTok's quantity is an int32
    public async Task Quantities_beyond_int32_are_refused(long quantity, int expected)
    {
        string set = await NewSetAsync();
        var e = Event("q" + quantity);
        e["properties"]!["contents"]![0]!["quantity"] = quantity;
        Assert.Equal(expected, (await TrackAsync(set, e)).Code);
    }

    [Fact]
    public async Task Plaintext_pii_gets_40062_without_echoing_it()
    {
        string set = await NewSetAsync();
        var e = Event("x");
        e["user"] = new JsonObject { ["email"] = "alice@example.com", ["phone"] = new JsonArray("+12133734253") };
        var (code, message) = await TrackAsync(set, e);
        Assert.Equal(40062, code);
        Assert.DoesNotContain("alice", message);
        Assert.DoesNotContain("2133734253", message);
    }

    [Fact]
    public async Task Field_checks_name_each_bad_field_by_its_path_and_accept_hashes_and_blanks()
    {
        string set = await NewSetAsync();
        var good = Event("good");
        good["user"] = new JsonObject { ["email"] = Hash, ["phone"] = "", ["external_id"] = new JsonArray(Hash, Hash) };
        Assert.Equal(0, (await TrackAsync(set, good)).Code);

        var bad = Event("bad");
        bad["user"] = new JsonObject { ["email"] = Hash.ToUpperInvariant(), ["phone"] = 5 };
        bad["properties"]!["currency"] = "usd";
        bad["properties"]!["value"] = -1;
        bad["properties"]!["contents"]![0]!["price"] = "9.99";
        bad["properties"]!["contents"]![0]!["quantity"] = -2;
        var (code, message) = await TrackAsync(set, Event("fine"), bad);
        Assert.Equal(40002, code);
        foreach (string expected in new[]
        {
            "data.1.user.email: PII must be SHA-256 hashed", "data.1.user.phone: Not a valid string",
            "data.1.properties.value: Not a valid number", "data.1.properties.currency: Not a valid ISO 4217 code",
            "data.1.properties.contents.0.price: Not a valid number", "data.1.properties.contents.0.quantity: Not a valid integer",
        })
        {
            Assert.Contains(expected, message);
        }
        Assert.DoesNotContain("data.0", message);
        Assert.Equal(new[] { "good" }, (await _sandbox.LedgerAsync(set)).Select(e => e.GetProperty("event_id").GetString()));
    }

    [Fact]
    public async Task Order_level_events_take_identifier_arrays_and_contents_but_not_an_event_without_email_or_phone()
    {
        string set = await NewSetAsync();
        string other = new string('b', 64);
        var order = Event("order");
        order["user"] = new JsonObject { ["email"] = new JsonArray(Hash, other), ["phone"] = new JsonArray(other) };
        order["properties"]!["content_type"] = "product";
        order["properties"]!["contents"] = new JsonArray(
            new JsonObject { ["content_id"] = "sku-1", ["price"] = 10, ["quantity"] = 3 },
            new JsonObject { ["content_id"] = "sku-2", ["content_name"] = "Mug", ["price"] = 4.5, ["quantity"] = 1 });
        Assert.Equal(0, (await TrackAsync(set, order)).Code);

        var anonymous = Event("anonymous");
        anonymous["user"] = new JsonObject { ["external_id"] = Hash, ["email"] = new JsonArray(), ["phone"] = "" };
        var noUser = Event("no-user");
        noUser.Remove("user");
        var noLines = Event("no-lines");
        noLines["properties"]!["contents"] = new JsonArray();
        noLines["properties"]!["content_type"] = "sku";
        var (code, message) = await TrackAsync(set, anonymous, noUser, noLines);
        Assert.Equal(40002, code);
        Assert.Contains("data.0.user: Missing data for required field: email or phone", message);
        Assert.Contains("data.1.user: Missing data for required field: email or phone", message);
        Assert.Contains("data.2.properties.contents: Shorter than minimum length 1.", message);
        Assert.Contains("data.2.properties.content_type: must be one of product, product_group", message);
        Assert.Equal(new[] { "order" }, (await _sandbox.LedgerAsync(set)).Select(e => e.GetProperty("event_id").GetString()));
    }

    [Fact]
    public async Task Batch_size_limits_give_40061()
    {
        string set = await NewSetAsync();
        Assert.Equal(40061, (await TrackAsync(set)).Code);
        var many = Enumerable.Range(0, 1001).Select(i => (JsonNode)Event("e" + i)).ToArray();
        Assert.Equal(40061, (await TrackAsync(set, many)).Code);
        var max = Enumerable.Range(0, 1000).Select(i => (JsonNode)Event("e" + i)).ToArray();
        Assert.Equal(0, (await TrackAsync(set, max)).Code);
        Assert.Equal(1000, (await _sandbox.LedgerAsync(set)).Length);
    }

    [Theory]
    [InlineData("C9ABCDEF1234")]
    [InlineData("7300000000000009999")]
    public async Task Pixel_codes_and_unknown_sets_are_rejected(string setId) =>
        Assert.Equal(40002, (await TrackAsync(setId, Event("x"))).Code);

    [Theory]
    [InlineData("Purchase", 0)]
    [InlineData("purchase", 40002)]
    [InlineData("Complete Payment", 40002)]
    public async Task Event_names_are_case_sensitive_api_names(string name, int expected)
    {
        string set = await NewSetAsync();
        Assert.Equal(expected, (await TrackAsync(set, Event("x", name))).Code);
    }
}
