using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using OfflineEvents.Core.Delivery;
using OfflineEvents.Core.Files;
using OfflineEvents.Core.Pii;
using OfflineEvents.Core.Rules;
using Xunit;

namespace OfflineEvents.Core.Tests;

/// <summary>Several columns for one identifier (Phone, Mobile, Billing Phone): every distinct valid value counts.</summary>
public class IdentifierColumnsTests
{
    private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Header = { "event_type", "Email", "Work Email", "Phone", "Mobile", "Billing Phone", "timestamp" };

    private static (int Errors, List<RowIssue> Issues, ParsedRow Parsed, EventRowValidator Validator) Validate(string email, string workEmail, string phone, string mobile, string billing, bool parse = true)
    {
        var map = new EventShape(Header, new ColumnMapping(new[]
        {
            new KeyValuePair<string, IReadOnlyList<string>>("email", new[] { "Email", "Work Email" }),
            new KeyValuePair<string, IReadOnlyList<string>>("phone", new[] { "Phone", "Mobile", "Billing Phone" }),
        })).Map;
        var validator = new EventRowValidator(map, new RowRuleOptions(new PiiNormalizer("US"), null, Now));
        var issues = new List<RowIssue>();
        var parsed = new ParsedRow();
        int errors = validator.Validate(new[] { "Purchase", email, workEmail, phone, mobile, billing, "2026-11-24T10:00:00Z" }, issues, null, parse ? parsed : null);
        return (errors, issues, parsed, validator);
    }

    private static string Hash(string s) => Sha256Hex.Hash(s);

    [Fact]
    public void Every_distinct_valid_value_of_every_column_is_kept_in_column_order()
    {
        var r = Validate("jo@example.com", "Jo.Work@Example.com", "+1 (212) 555-0101", "(213) 373-4253", "+44 20 7946 0958");
        Assert.Equal(0, r.Errors);
        Assert.Empty(r.Issues);
        Assert.Equal(new[] { Hash("jo@example.com"), Hash("jo.work@example.com") }, r.Parsed.Emails);
        Assert.Equal(new[] { Hash("+12125550101"), Hash("+12133734253"), Hash("+442079460958") }, r.Parsed.Phones);
        Assert.Equal(Hash("+12125550101"), r.Parsed.Phone.Value);
    }

    [Fact]
    public void Values_equal_after_normalization_are_one_value()
    {
        var r = Validate(" JO@example.com", "jo@example.com ", "+1 (212) 555-0101", "2125550101", "212.555.0101");
        Assert.Equal(0, r.Errors);
        Assert.Equal(new[] { Hash("jo@example.com") }, r.Parsed.Emails);
        Assert.Equal(new[] { Hash("+12125550101") }, r.Parsed.Phones);
    }

    [Fact]
    public void An_invalid_value_beside_a_valid_one_is_left_out_with_a_warning_naming_its_column()
    {
        var r = Validate("", "", "", "12", "(213) 373-4253");
        Assert.Equal(0, r.Errors);
        var issue = Assert.Single(r.Issues);
        Assert.Equal(RuleIds.PhoneInvalid, issue.RuleId);
        Assert.Equal(Severity.Warning, issue.Severity);
        Assert.Equal("Mobile", issue.Column);
        Assert.DoesNotContain("12 ", issue.Message.Replace("+1", ""));
        Assert.Equal(new[] { Hash("+12133734253") }, r.Parsed.Phones);
        Assert.True(r.Validator.PhoneValid);
    }

    [Fact]
    public void The_row_is_an_error_only_when_no_column_holds_a_valid_identifier()
    {
        var r = Validate("not-an-email", "", "12", "", "34");
        Assert.Equal(3, r.Errors);
        Assert.Equal(new[] { "Email", "Phone", "Billing Phone" }, r.Issues.Select(i => i.Column));
        Assert.All(r.Issues, i => Assert.Equal(Severity.Error, i.Severity));
        Assert.Empty(r.Parsed.Phones);
        // The first invalid phone is the row's, for the reject file (masked there).
        Assert.True(r.Parsed.Phone.IsInvalid);
        Assert.Equal(3, r.Parsed.PhoneColumn);
        Assert.False(r.Validator.EmailValid || r.Validator.PhoneValid);
    }

    [Fact]
    public void Checking_without_hashing_gives_the_same_verdicts_and_coverage()
    {
        var sent = Validate("", "", "12", "(213) 373-4253", "", parse: true);
        var checkedOnly = Validate("", "", "12", "(213) 373-4253", "", parse: false);
        Assert.Equal(sent.Errors, checkedOnly.Errors);
        Assert.Equal(sent.Issues.Select(i => (i.RuleId, i.Severity, i.Column)), checkedOnly.Issues.Select(i => (i.RuleId, i.Severity, i.Column)));
        Assert.True(checkedOnly.Validator.PhoneValid);
    }

    [Fact]
    public void More_distinct_values_than_the_cap_keep_the_first_and_warn()
    {
        var header = new[] { "event_type", "timestamp", "p1", "p2", "p3", "p4", "p5", "p6", "p7" };
        var map = new EventShape(header, new ColumnMapping(new[]
        {
            new KeyValuePair<string, IReadOnlyList<string>>("phone", new[] { "p1", "p2", "p3", "p4", "p5", "p6", "p7" }),
        })).Map;
        var validator = new EventRowValidator(map, new RowRuleOptions(new PiiNormalizer("US"), null, Now));
        var issues = new List<RowIssue>();
        var parsed = new ParsedRow();
        string[] phones = { "2125550101", "2125550102", "2125550103", "2125550104", "2125550105", "2125550106", "2125550107" };
        Assert.Equal(0, validator.Validate(new[] { "Purchase", "2026-11-24T10:00:00Z" }.Concat(phones).ToArray(), issues, null, parsed));
        Assert.Equal(EventRowValidator.MaxValuesPerIdentifier, parsed.Phones.Count);
        Assert.Equal(phones.Take(5).Select(p => Hash("+1" + p)), parsed.Phones);
        var issue = Assert.Single(issues);
        Assert.Equal(RuleIds.IdentifiersLeftOut, issue.RuleId);
        Assert.Equal(Severity.Warning, issue.Severity);
        Assert.Contains("7 distinct valid values", issue.Message);
        Assert.Contains("2 left out", issue.Message);
    }

    [Fact]
    public void Test_counts_a_row_as_having_a_valid_phone_when_any_phone_column_is_valid()
    {
        string path = Path.Combine(Path.GetTempPath(), "oe-ids-" + Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllText(path, "event_type,timestamp,Phone,Mobile\n"
            + "Purchase,2026-11-24T10:00:00Z,12,(213) 373-4253\n"
            + "Purchase,2026-11-24T10:00:00Z,(213) 373-4253,\n"
            + "Purchase,2026-11-24T10:00:00Z,12,34\n", new UTF8Encoding(false));
        try
        {
            var r = new OfflineEventFileChecker(new FileCheckOptions(new RowRuleOptions(new PiiNormalizer("US"), null, Now))).Check(path);
            Assert.Equal(2, r.Coverage.Phone);
            Assert.Equal(1, r.Coverage.Neither);
            Assert.Equal(2, r.Issues.Count(i => i.Rule == RuleIds.PhoneInvalid && i.Severity == Severity.Error));
            Assert.Contains(r.Issues, i => i.Rule == RuleIds.PhoneInvalid && i.Severity == Severity.Warning && i.Column == "Phone" && i.Line == 2);
            Assert.Contains(r.Issues, i => i.Rule == RuleIds.PhoneInvalid && i.Severity == Severity.Error && i.Column == "Mobile" && i.Line == 4);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

/// <summary>An order merges its lines' values of each identifier up to the cap, over real HTTP to the sandbox.</summary>
public class OrderIdentifierCapTests : IClassFixture<SandboxHost>
{
    private readonly SandboxHost _sandbox;

    public OrderIdentifierCapTests(SandboxHost sandbox) => _sandbox = sandbox;

    [Fact]
    public async Task An_order_whose_lines_have_more_distinct_phones_than_the_cap_sends_the_first_and_warns()
    {
        using var api = new Api.BusinessApiClient(_sandbox.Connection());
        string set = (await new EventSets.EventSetClient(api).CreateAsync("ids " + Guid.NewGuid(), null, true, System.Threading.CancellationToken.None)).EventSetId;
        string time = DateTimeOffset.UtcNow.AddMinutes(-90).ToString("yyyy-MM-ddTHH:mm:ssZ");
        var header = new[] { "event_type", "Phone", "Mobile", "timestamp", "price", "currency", "order_id", "product_id" };
        var rows = new[]
        {
            new string?[] { "Purchase", "2125550101", "2125550102", time, "1", "USD", "7001", "A" },
            new string?[] { "Purchase", "2125550103", "2125550101", time, "1", "USD", "7001", "B" },
            new string?[] { "Purchase", "2125550104", "2125550105", time, "1", "USD", "7001", "C" },
            new string?[] { "Purchase", "2125550106", "", time, "1", "USD", "7001", "D" },
        };
        var options = new DeliveryOptions(set, new RowRuleOptions(new PiiNormalizer("US")));
        using var client = new Api.BusinessApiClient(_sandbox.Connection());
        var delivery = new EventDelivery(client, options, new RecordingHost(), null);
        var shape = new EventShape(header);
        long n = 0;
        foreach (var row in rows) delivery.Add(shape, ++n, n + 1, row, "orders.csv");
        var summary = delivery.Complete();

        Assert.Equal(1, summary.Delivered);
        Assert.Equal(1, summary.WarningsByRule[RuleIds.IdentifiersLeftOut]);
        var user = (await _sandbox.LedgerAsync(set)).Single().GetProperty("payload").GetProperty("user");
        Assert.Equal(new[] { "01", "02", "03", "04", "05" }.Select(d => Sha256Hex.Hash("+121255501" + d)),
            user.GetProperty("phone").EnumerateArray().Select(p => p.GetString()));
    }
}
