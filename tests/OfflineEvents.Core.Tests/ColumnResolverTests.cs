using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using OfflineEvents.Core.Delivery;
using OfflineEvents.Core.Files;
using OfflineEvents.Core.Pii;
using OfflineEvents.Core.Rules;
using Xunit;

namespace OfflineEvents.Core.Tests;

/// <summary>The one column resolver: aliases, -ColumnMap, detection that explains itself, -EventTypeMap.</summary>
public class ColumnResolverTests : IDisposable
{
    private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "oe-columns-" + Guid.NewGuid().ToString("N"));

    public ColumnResolverTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static ColumnMapping Map(params (string Field, string[] Columns)[] entries) =>
        new ColumnMapping(entries.Select(e => new KeyValuePair<string, IReadOnlyList<string>>(e.Field, e.Columns)));

    private static (string Field, string Column)[] Sources(ColumnMap map) => map.Sources.Select(s => (s.Field, s.Column)).ToArray();

    private FileCheckResult CheckFile(string text, RowRuleOptions? rules = null)
    {
        string path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return new OfflineEventFileChecker(new FileCheckOptions(rules ?? new RowRuleOptions(new PiiNormalizer("US"), null, Now))).Check(path);
    }

    [Fact]
    public void Test_reads_the_columns_Send_reads_under_their_usual_spellings_and_warns_only_about_the_upload()
    {
        string[] headers = { "Event Name", "Email Address", "Phone Number", "Event Time", "Order ID", "Notes" };
        var send = new EventShape(headers).Map;
        var r = CheckFile(string.Join(",", headers) + "\nPurchase,jo@example.com,+12133734253,2026-11-24T10:00:00Z,A-1,call back\n");
        Assert.Equal(Sources(send), r.Columns.Select(c => (c.Field, c.Column)).ToArray());
        Assert.Equal(new[] { ("event_type", "Event Name"), ("email", "Email Address"), ("phone", "Phone Number"), ("timestamp", "Event Time"), ("order_id", "Order ID") }, Sources(send));
        Assert.True(r.IsValid);
        Assert.DoesNotContain(r.Issues, i => i.Rule == FileRuleIds.ColumnMissing);
        var alias = r.Issues.Single(i => i.Rule == FileRuleIds.ColumnAlias && i.Column == "Email Address");
        Assert.Equal(Severity.Warning, alias.Severity);
        Assert.Contains("read as email", alias.Message);
        Assert.Contains("manual upload", alias.Message);
        var notes = r.Issues.Single(i => i.Rule == FileRuleIds.ColumnUnknown);
        Assert.Equal("Notes", notes.Column);
        Assert.Contains("is not read", notes.Message);
        Assert.DoesNotContain("did you mean", notes.Message);
    }

    [Fact]
    public void A_map_entry_decides_its_field_and_the_other_fields_are_still_detected()
    {
        string[] headers = { "Name", "Email", "Contact", "Created at", "Event", "SKU" };
        var map = new ColumnMap(headers, ColumnMatching.Aliases, Map(("order_id", new[] { "Name" }), ("email", new[] { "Contact" }), ("timestamp", new[] { "Created at" })));
        Assert.Equal(0, map[OfflineEventColumns.OrderId]);
        Assert.Equal(new[] { 2 }, map.Indexes(OfflineEventColumns.Email)); // Email is not read: the map takes email from Contact
        Assert.Equal(3, map[OfflineEventColumns.Timestamp]);
        Assert.Equal(4, map[OfflineEventColumns.EventType]);
        Assert.Equal(5, map[OfflineEventColumns.ProductId]);
        Assert.Equal(OfflineEventColumns.Email, map.OverriddenField(1));
        Assert.Equal(ColumnSourceKind.ColumnMap, map.Sources.Single(s => s.Column == "Contact").Kind);
        Assert.Equal(ColumnSourceKind.Alias, map.Sources.Single(s => s.Column == "Event").Kind);
        Assert.Contains("not read: 'Email' (-ColumnMap takes email from elsewhere)", map.Describe());
    }

    [Fact]
    public void A_field_mapped_to_no_column_is_not_read()
    {
        var map = new ColumnMap(new[] { "Event Type", "Email", "Timestamp" }, ColumnMatching.Aliases, Map(("event_type", Array.Empty<string>())));
        Assert.False(map.Has(OfflineEventColumns.EventType));
        Assert.Equal(new[] { "event_type" }, map.MissingRequired());
        Assert.Empty(map.MissingRequired(eventTypeDefaulted: true));
    }

    [Fact]
    public void Map_columns_match_exactly_first_then_ignoring_case_and_outer_spaces()
    {
        Assert.Equal(1, ColumnMapping.FindHeader(new[] { "email", "Email" }, "Email"));
        Assert.Equal(0, ColumnMapping.FindHeader(new[] { "EMAIL", "x" }, "Email"));
        Assert.Equal(1, ColumnMapping.FindHeader(new[] { "x", " Kunde E-Mail " }, "kunde e-mail"));
        Assert.Equal(-1, ColumnMapping.FindHeader(new[] { "x" }, "Email"));
        Assert.Equal("order_id", ColumnMapping.ToField("Order ID"));
        Assert.Equal("time_zone", ColumnMapping.ToField("TimeZone"));
    }

    [Fact]
    public void A_missing_column_names_the_field_the_column_the_columns_that_exist_and_the_closest()
    {
        var ex = Assert.Throws<ColumnMapException>(() => new ColumnMap(new[] { "Name", "Created at", "Email" }, ColumnMatching.Aliases, Map(("timestamp", new[] { "Created" }))));
        Assert.True(ex.IsMissingColumn);
        Assert.Equal("timestamp", ex.Field);
        Assert.Equal("Created", ex.Column);
        Assert.Contains("did you mean 'Created at'?", ex.Message);
        Assert.Contains("'Name', 'Created at', 'Email'", ex.Message);
    }

    [Fact]
    public void An_unknown_field_is_refused_with_a_suggestion_and_the_list_of_fields()
    {
        var ex = Assert.Throws<ColumnMapException>(() => Map(("timestmp", new[] { "Created at" })));
        Assert.False(ex.IsMissingColumn);
        Assert.Contains("did you mean 'timestamp'?", ex.Message);
        Assert.Contains("product_name", ex.Message);
        var far = Assert.Throws<ColumnMapException>(() => Map(("coupon", new[] { "Code" })));
        Assert.DoesNotContain("did you mean", far.Message);
        Assert.Throws<ColumnMapException>(() => Map(("price", new[] { "Gross", "Net" }))); // one column only
    }

    [Fact]
    public void Several_columns_feed_an_identifier_and_the_first_with_a_value_is_used()
    {
        var shape = new EventShape(new[] { "event_type", "email", "Phone", "Mobile", "timestamp" });
        Assert.Equal(new[] { 2, 3 }, shape.Map.Indexes(OfflineEventColumns.Phone));
        Assert.Empty(shape.Map.Duplicates);
        var validator = new EventRowValidator(shape.Map, new RowRuleOptions(new PiiNormalizer("US"), null, Now));
        var issues = new List<RowIssue>();
        var parsed = new ParsedRow();
        Assert.Equal(0, validator.Validate(new[] { "Purchase", "", "", "(213) 373-4253", "2026-11-24T10:00:00Z" }, issues, null, parsed));
        Assert.Equal(Sha256Hex.Hash("+12133734253"), parsed.Phone.Value);
        // An invalid Mobile is the row's error when Phone is blank, and its column is named.
        issues.Clear();
        Assert.Equal(1, validator.Validate(new[] { "Purchase", "", "", "12", "2026-11-24T10:00:00Z" }, issues, null, parsed));
        Assert.Equal("Mobile", issues.Single().Column);
    }

    [Fact]
    public void A_bare_time_column_is_a_time_of_day_never_the_timestamp()
    {
        // Alone, a Time column is no timestamp; beside a date column the two make one (TimestampColumnTests).
        var map = new EventShape(new[] { "Time", "Event Type", "Email" }).Map;
        Assert.Equal(0, map[OfflineEventColumns.Time]);
        Assert.False(map.Has(OfflineEventColumns.Timestamp));
        var missing = map.MissingRequired();
        Assert.Contains("timestamp", missing);
        Assert.Contains("'Time' is read as a time of day", map.MissingHint(missing));
        Assert.Contains("-ColumnMap @{ timestamp = 'Time' }", map.MissingHint(missing));
        Assert.Empty(new EventShape(new[] { "Date", "Time", "Event Type", "Email" }).Map.MissingRequired());
    }

    [Theory]
    [InlineData("Emial", "email")]
    [InlineData("Phnoe Number", "phone")]
    [InlineData("Timestmp", "timestamp")]
    [InlineData("Oder ID", "order_id")]
    [InlineData("Curency", "currency")]
    public void A_header_close_to_a_field_gets_did_you_mean(string header, string field)
    {
        Assert.Equal(field, ColumnMap.SuggestField(header));
        var r = CheckFile($"event_type,email,timestamp,{header}\nPurchase,jo@example.com,2026-11-24T10:00:00Z,x\n");
        Assert.Contains($"did you mean {field}?", r.Issues.Single(i => i.Rule == FileRuleIds.ColumnUnknown).Message);
    }

    [Theory]
    [InlineData("Customer Name")]
    [InlineData("Billing Name")]
    [InlineData("Financial Status")]
    [InlineData("Notes")]
    [InlineData("Tags")]
    [InlineData("Tax")]
    [InlineData("Gross Sales")]
    [InlineData("Net Sales")]
    [InlineData("Discounts")]
    [InlineData("Lead Source")]
    [InlineData("First Name")]
    [InlineData("Shipping City")]
    [InlineData("Payment Method")]
    [InlineData("Device Name")]
    [InlineData("Agent")]
    [InlineData("Duration")]
    [InlineData("Status")]
    [InlineData("Company")]
    public void An_unrelated_header_gets_no_guess(string header)
    {
        Assert.Null(ColumnMap.SuggestField(header));
    }

    [Fact]
    public void Values_that_are_no_tiktok_events_in_a_column_found_by_its_name_are_said_to_need_an_event_type_map()
    {
        var r = CheckFile("Event Type,Email,Timestamp\nPayment,jo@example.com,2026-11-24T10:00:00Z\nRefund,al@example.com,2026-11-24T10:00:00Z\n");
        Assert.Equal(2, r.RuleCounts[RuleIds.EventTypeUnknown]);
        Assert.Contains("-EventTypeMap", r.Issues.First(i => i.Rule == RuleIds.EventTypeUnknown).Message);
        var hint = r.Issues.Single(i => i.Rule == FileRuleIds.EventTypeColumn);
        Assert.Equal(Severity.Warning, hint.Severity);
        Assert.Contains("'Event Type'", hint.Message);
        Assert.Contains("-EventTypeMap", hint.Message);
        // TikTok's own column name: bad values are typos, no hint.
        Assert.DoesNotContain(CheckFile("event_type,email,timestamp\nPurchse,jo@example.com,2026-11-24T10:00:00Z\n").Issues, i => i.Rule == FileRuleIds.EventTypeColumn);
    }

    [Fact]
    public void An_event_type_map_names_events_and_skips_rows_mapped_to_null()
    {
        var rules = new RowRuleOptions(new PiiNormalizer("US"), null, Now)
        {
            EventTypeMap = new Dictionary<string, string?> { ["Payment"] = "Complete Payment", ["Refund"] = null },
        };
        var r = CheckFile("Event Type,Email,Timestamp\npayment ,jo@example.com,2026-11-24T10:00:00Z\nRefund,,\nVoid,al@example.com,2026-11-24T10:00:00Z\n", rules);
        Assert.Equal(3, r.Rows);
        Assert.Equal(1, r.Skipped);
        var unknown = r.Issues.Single(i => i.Rule == RuleIds.EventTypeUnknown);
        Assert.Equal(4, unknown.Line); // Void: not in the map, not a TikTok event
        Assert.DoesNotContain(r.Issues, i => i.Rule == FileRuleIds.EventTypeColumn); // the user gave a map
        Assert.Equal(1, r.Errors);

        var validator = new EventRowValidator(new EventShape(new[] { "Event Type", "Email", "Timestamp" }).Map, rules);
        var parsed = new ParsedRow();
        Assert.Equal(0, validator.Validate(new[] { "Payment", "jo@example.com", "2026-11-24T10:00:00Z" }, new List<RowIssue>(), null, parsed));
        Assert.Equal("CompletePayment", parsed.EventName);
        Assert.False(validator.Skipped);
        validator.Validate(new[] { "REFUND", "", "" }, new List<RowIssue>(), null, parsed);
        Assert.True(validator.Skipped);
    }

    [Fact]
    public void An_event_type_map_to_a_name_that_is_no_tiktok_event_is_refused_with_a_suggestion()
    {
        var rules = new RowRuleOptions();
        var ex = Assert.Throws<ArgumentException>(() => rules.EventTypeMap = new Dictionary<string, string?> { ["Payment"] = "Complete Paymnt" });
        Assert.Contains("did you mean 'Complete Payment'?", ex.Message);
    }

    [Theory]
    [InlineData("1.0", 1)]
    [InlineData("2.00", 2)]
    [InlineData(" 3.000 ", 3)]
    public void Whole_quantities_written_with_decimals_are_accepted(string text, long expected)
    {
        Assert.True(ValueRules.TryParseQuantity(text, out long value, out _));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("0.0")]
    [InlineData("2147483648.0")]
    [InlineData("-1.0")]
    public void Quantities_with_decimals_that_are_not_whole_or_in_range_stay_invalid(string text)
    {
        Assert.False(ValueRules.TryParseQuantity(text, out _, out _));
    }
}
