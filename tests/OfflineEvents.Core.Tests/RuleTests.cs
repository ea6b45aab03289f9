using System;
using System.Collections.Generic;
using System.Linq;
using OfflineEvents.Core.Pii;
using OfflineEvents.Core.Rules;
using Xunit;

namespace OfflineEvents.Core.Tests;

public class EventNameTests
{
    [Theory]
    [InlineData("Add to Cart", "AddToCart")]
    [InlineData("AddToCart", "AddToCart")]
    [InlineData("add_to_cart", "AddToCart")]
    [InlineData(" ADD TO CART ", "AddToCart")]
    [InlineData("Place an Order", "PlaceAnOrder")]
    [InlineData("Complete Payment", "CompletePayment")]
    [InlineData("SubmitForm", "SubmitForm")]
    [InlineData("Submit Form", "SubmitForm")]
    [InlineData("Purchase", "Purchase")]
    [InlineData("lead", "Lead")]
    [InlineData("Start Trial", "StartTrial")]
    [InlineData("Application Approval", "ApplicationApproval")]
    public void Display_api_and_newer_names_map_to_the_api_name(string name, string api) => Assert.Equal(api, EventNames.ToApiName(name));

    [Theory]
    [InlineData("Refund")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_names_map_to_null(string? name) => Assert.Null(EventNames.ToApiName(name));

    [Theory]
    [InlineData("Add to Crat", "Add to Cart")]
    [InlineData("Purchse", "Purchase")]
    [InlineData("Complete Paymnet", "Complete Payment")]
    [InlineData("Subscibe", "Subscribe")]
    [InlineData("Teleport", null)]
    public void Typos_get_a_suggestion_and_nonsense_does_not(string name, string? suggestion) => Assert.Equal(suggestion, EventNames.Suggest(name));

    [Fact]
    public void Every_api_name_has_a_display_name_that_maps_back()
    {
        foreach (var api in EventNames.ApiNames) Assert.Equal(api, EventNames.ToApiName(EventNames.ToDisplayName(api)));
        Assert.Equal(22, EventNames.ApiNames.Count);
    }
}

public class ValueRuleTests
{
    [Theory]
    [InlineData("2022-10-22T19:11:01.152Z", "2022-10-22T19:11:01.1520000+00:00")]
    [InlineData("2022-10-22T19:11:01Z", "2022-10-22T19:11:01.0000000+00:00")]
    [InlineData("2022-10-22T21:11:01+02:00", "2022-10-22T21:11:01.0000000+02:00")]
    [InlineData("2022-10-22T14:11:01-0500", "2022-10-22T14:11:01.0000000-05:00")]
    [InlineData("2022-10-22T19:11Z", "2022-10-22T19:11:00.0000000+00:00")]
    [InlineData("2022-10-22 19:11:01Z", "2022-10-22T19:11:01.0000000+00:00")]
    public void Iso_timestamps_with_offsets_parse(string text, string expected)
    {
        Assert.Equal(ValueRules.TimestampKind.WithOffset, ValueRules.TryParseTimestamp(text, null, out var value, out _));
        Assert.Equal(expected, value.ToString("o"));
    }

    [Theory]
    [InlineData("10/22/2022 19:11", "slashed")]
    [InlineData("2022-10-22", "ISO-8601")]
    [InlineData("yesterday", "ISO-8601")]
    [InlineData("2022-02-30T10:00:00Z", "real date")]
    [InlineData("2022-10-22T25:00:00Z", "real date")]
    [InlineData("2022-10-22T10:00:00+15:00", "14:00")]
    public void Bad_timestamps_say_why(string text, string reason)
    {
        Assert.Equal(ValueRules.TimestampKind.Invalid, ValueRules.TryParseTimestamp(text, null, out _, out var why));
        Assert.Contains(reason, why);
    }

    [Fact]
    public void Offsetless_timestamps_follow_the_zone_across_daylight_saving()
    {
        var ny = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        ValueRules.TryParseTimestamp("2026-01-15T12:00:00", ny, out var winter, out _);
        ValueRules.TryParseTimestamp("2026-07-15T12:00:00", ny, out var summer, out _);
        Assert.Equal(TimeSpan.FromHours(-5), winter.Offset);
        Assert.Equal(TimeSpan.FromHours(-4), summer.Offset);
        // 02:30 on the spring-forward day does not exist in New York: moved forward by the gap, to 03:30 EDT.
        Assert.Equal(ValueRules.TimestampKind.NoOffset, ValueRules.TryParseTimestamp("2026-03-08T02:30:00", ny, out var skipped, out _));
        Assert.Equal(new DateTimeOffset(2026, 3, 8, 3, 30, 0, TimeSpan.FromHours(-4)), skipped);
        // 01:30 on the fall-back day happens twice: read as the first (daylight time).
        ValueRules.TryParseTimestamp("2026-11-01T01:30:00", ny, out var ambiguous, out _);
        Assert.Equal(TimeSpan.FromHours(-4), ambiguous.Offset);
        // Without a zone: UTC.
        Assert.Equal(ValueRules.TimestampKind.NoOffset, ValueRules.TryParseTimestamp("2026-01-15T12:00:00", null, out var utc, out _));
        Assert.Equal(TimeSpan.Zero, utc.Offset);
    }

    [Theory]
    [InlineData("12.50", true, "")]
    [InlineData("0", true, "")]
    [InlineData(" 1234.5 ", true, "")]
    [InlineData("50¢", false, "currency sign")]
    [InlineData("12.50 XYZ", false, "currency sign")]
    [InlineData("1,234.50", false, "thousands")]
    [InlineData("1.234.567,00", false, "thousands")]
    [InlineData("12,50", false, "comma as the decimal separator: give the export's -Culture")]
    [InlineData("1,234", false, "ambiguous")]
    [InlineData("-5.00", false, "negative")]
    [InlineData("(5.00)", false, "negative")]
    [InlineData("free", false, "not a number")]
    public void Prices_are_plain_non_negative_decimals(string text, bool ok, string reason)
    {
        Assert.Equal(ok, ValueRules.TryParsePrice(text, out _, out var why));
        Assert.Contains(reason, why);
    }

    /// <summary>
    /// The one-pass price reader gives what the regex ^\d+(\.\d+)?$ and decimal.TryParse gave: the same answer,
    /// value and scale (so "12.50" is still written as 12.50), on prices of every length and near-misses.
    /// </summary>
    [Fact]
    public void Plain_prices_read_as_the_regex_and_decimal_parse_did()
    {
        var plain = new System.Text.RegularExpressions.Regex(@"^\d+(\.\d+)?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        var random = new Random(17);
        const string alphabet = "0123456789012345678901234567890123456789..,- +e\u0661";
        var texts = new List<string> { "", ".", "0", "00", "0.0", "12.50", "12.", ".5", "1..2", "1.2.3", "007.10", "18446744073709551615",
            "9999999999999999999", "99999999999999999999", "1234567890123456789.5", "79228162514264337593543950335", "79228162514264337593543950336",
            "0.00000000000000000000000000001", "\u0661\u0662", "1e5", "+5" };
        for (int i = 0; i < 20_000; i++)
        {
            int length = random.Next(1, i % 10 == 0 ? 40 : 12);
            texts.Add(new string(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(i % 3 == 0 ? alphabet.Length : 11)]).ToArray()));
        }
        foreach (string text in texts)
        {
            decimal expected = 0;
            bool expectedOk = plain.IsMatch(text) && decimal.TryParse(text, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out expected);
            bool ok = ValueRules.TryPlainDecimal(text, out decimal value);
            Assert.True(expectedOk == ok, $"'{text}': expected {expectedOk}");
            if (ok) Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Theory]
    [InlineData("1", true, "")]
    [InlineData("12", true, "")]
    [InlineData("0", false, "at least 1")]
    [InlineData("-2", false, "at least 1")]
    [InlineData("1.5", false, "whole number")]
    [InlineData("two", false, "not a number")]
    public void Quantities_are_positive_whole_numbers(string text, bool ok, string reason)
    {
        Assert.Equal(ok, ValueRules.TryParseQuantity(text, out _, out var why));
        Assert.Contains(reason, why);
    }

    [Theory]
    [InlineData("usd", true)]
    [InlineData("EUR", true)]
    [InlineData("US$", false)]
    [InlineData("EURO", false)]
    [InlineData("XYZ", false)]
    public void Currencies_are_iso_4217(string text, bool ok) => Assert.Equal(ok, Currencies.TryNormalize(text, out _));
}

public class EventRowValidatorTests
{
    private static readonly string[] Header = OfflineEventColumns.All.ToArray();
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static (int Errors, List<RowIssue> Issues) Check(Action<Dictionary<string, string>> change, TimeZoneInfo? zone = null, string? region = "US")
    {
        var row = new Dictionary<string, string>
        {
            ["event_type"] = "Complete Payment", ["email"] = "jo@example.com", ["phone"] = "+12133734253",
            ["timestamp"] = "2026-11-20T10:00:00Z", ["price"] = "19.99", ["currency"] = "USD",
            ["transaction_category"] = "retail", ["order_id"] = "A-1", ["quantity"] = "2",
            ["product_id"] = "SKU-1", ["product_category"] = "shoes", ["store_id"] = "store_1",
        };
        change(row);
        var validator = new EventRowValidator(new ColumnMap(Header), new RowRuleOptions(new PiiNormalizer(region), zone, Now));
        var issues = new List<RowIssue>();
        int errors = validator.Validate(Header.Select(h => (string?)row[h]).ToArray(), issues);
        return (errors, issues);
    }

    [Fact]
    public void A_good_row_has_no_issues()
    {
        var (errors, issues) = Check(_ => { });
        Assert.Equal(0, errors);
        Assert.Empty(issues);
    }

    [Theory]
    [InlineData("event_type", "", "EventTypeMissing", "empty")]
    [InlineData("event_type", "Add to Crat", "EventTypeUnknown", "did you mean 'Add to Cart'?")]
    [InlineData("timestamp", "", "TimestampMissing", "empty")]
    [InlineData("timestamp", "22/10/2026", "TimestampInvalid", "ISO-8601")]
    [InlineData("timestamp", "2026-12-25T10:00:00Z", "TimestampFuture", "in the future")]
    [InlineData("price", "19¢", "PriceInvalid", "currency sign")]
    [InlineData("currency", "Dollars", "CurrencyInvalid", "ISO 4217")]
    [InlineData("quantity", "0", "QuantityInvalid", "at least 1")]
    public void Each_error_rule_fires_with_a_specific_message(string column, string value, string rule, string text)
    {
        var (errors, issues) = Check(r => r[column] = value);
        Assert.Equal(1, errors);
        var issue = Assert.Single(issues);
        Assert.Equal(rule, issue.RuleId);
        Assert.Equal(Severity.Error, issue.Severity);
        Assert.Equal(column, issue.Column);
        Assert.Contains(text, issue.Message);
    }

    [Theory]
    [InlineData("email", "jo@example", "phone", "EmailInvalid", "j***@e***")]
    [InlineData("phone", "555-0100", "email", "PhoneInvalid", "not a valid phone number")]
    public void An_invalid_identifier_is_an_error_only_when_no_valid_one_remains(string column, string value, string other, string rule, string text)
    {
        var (errors, issues) = Check(r => { r[column] = value; r[other] = ""; });
        Assert.Equal(1, errors);
        var issue = Assert.Single(issues);
        Assert.Equal(rule, issue.RuleId);
        Assert.Equal(Severity.Error, issue.Severity);
        Assert.Equal(column, issue.Column);
        Assert.Contains(text, issue.Message);

        // Beside a valid one it is left out with a warning, and the row is no error.
        (errors, issues) = Check(r => r[column] = value);
        Assert.Equal(0, errors);
        issue = Assert.Single(issues);
        Assert.Equal(rule, issue.RuleId);
        Assert.Equal(Severity.Warning, issue.Severity);
        Assert.Contains(text, issue.Message);
        Assert.Contains("left out", issue.Message);
    }

    [Fact]
    public void An_invalid_email_is_left_out_of_the_parsed_row_and_the_valid_phone_kept()
    {
        var validator = new EventRowValidator(new ColumnMap(Header), new RowRuleOptions(new PiiNormalizer("US"), null, Now));
        var row = Header.Select(h => h switch
        {
            "event_type" => "Purchase", "email" => "jo@example", "phone" => "(213) 373-4253", "timestamp" => "2026-11-20T10:00:00Z", _ => (string?)"",
        }).ToArray();
        var parsed = new ParsedRow();
        Assert.Equal(0, validator.Validate(row, new List<RowIssue>(), null, parsed));
        Assert.Equal(PiiOutcome.Blank, parsed.Email.Outcome);
        Assert.Equal(Sha256Hex.Hash("+12133734253"), parsed.Phone.Value);
    }

    [Fact]
    public void Neither_email_nor_phone_is_no_error_but_unidentified()
    {
        var (errors, issues) = Check(r => { r["email"] = ""; r["phone"] = " "; });
        Assert.Equal(0, errors);
        var issue = Assert.Single(issues);
        Assert.Equal(RuleIds.IdentityMissing, issue.RuleId);
        Assert.Equal(Severity.Warning, issue.Severity);
        Assert.Contains("Unidentified", issue.Message);
    }

    [Fact]
    public void A_region_column_reads_the_row_s_national_phone()
    {
        var header = Header.Append(OfflineEventColumns.Region).ToArray();
        var validator = new EventRowValidator(new ColumnMap(header, ColumnMatching.Aliases), new RowRuleOptions(new PiiNormalizer("US"), null, Now));
        string?[] Row(string region) => header.Select(h => h switch
        {
            "event_type" => "Purchase", "phone" => "020 7946 0958", "timestamp" => "2026-11-20T10:00:00Z", "region" => region, _ => (string?)"",
        }).ToArray();
        var parsed = new ParsedRow();
        Assert.Equal(0, validator.Validate(Row("GB"), new List<RowIssue>(), null, parsed));
        Assert.Equal(Sha256Hex.Hash("+442079460958"), parsed.Phone.Value);
        // Without the row's region, -DefaultRegion US reads it, and 020 7946 0958 is no US number.
        Assert.Equal(1, validator.Validate(Row(""), new List<RowIssue>(), null, parsed));
    }

    [Theory]
    [InlineData("timestamp", "2026-11-20T10:00:00", "TimestampNoOffset")]
    [InlineData("timestamp", "2026-09-01T10:00:00Z", "TimestampTooOld")]
    [InlineData("product_category", "=HYPERLINK(\"x\")", "FormulaCell")]
    [InlineData("order_id", "@SUM(A1)", "FormulaCell")]
    [InlineData("transaction_category", "+cmd|' /C calc'!A0", "FormulaCell")]
    public void Warnings_do_not_count_as_errors(string column, string value, string rule)
    {
        var (errors, issues) = Check(r => r[column] = value);
        Assert.Equal(0, errors);
        var issue = Assert.Single(issues);
        Assert.Equal(rule, issue.RuleId);
        Assert.Equal(Severity.Warning, issue.Severity);
    }

    [Fact]
    public void International_phones_and_negative_numbers_are_not_formula_warnings()
    {
        var (_, issues) = Check(r => { r["phone"] = "+44 20 7946 0958"; r["store_id"] = "-12"; });
        Assert.DoesNotContain(issues, i => i.RuleId == RuleIds.FormulaCell);
    }

    [Fact]
    public void A_time_zone_resolves_offsetless_timestamps_without_a_warning()
    {
        var (errors, issues) = Check(r => r["timestamp"] = "2026-11-20T10:00:00", TimeZoneInfo.FindSystemTimeZoneById("Europe/London"));
        Assert.Equal(0, errors);
        Assert.Empty(issues);
    }

    [Fact]
    public void National_phones_need_a_region()
    {
        var (errors, issues) = Check(r => { r["phone"] = "(213) 373-4253"; r["email"] = ""; }, region: null);
        Assert.Equal(1, errors);
        Assert.Equal(RuleIds.PhoneNeedsRegion, Assert.Single(issues).RuleId);
        // With a valid email the row is sent with it, and the phone is left out with a warning.
        (errors, issues) = Check(r => r["phone"] = "(213) 373-4253", region: null);
        Assert.Equal(0, errors);
        Assert.Equal(Severity.Warning, Assert.Single(issues, i => i.RuleId == RuleIds.PhoneNeedsRegion).Severity);
    }

    [Fact]
    public void Messages_never_carry_plaintext_pii()
    {
        var (_, issues) = Check(r => { r["email"] = "john.doe@example"; r["phone"] = "(555) 010-0999"; r["order_id"] = "=cmd"; });
        string all = string.Join("\n", issues.Select(i => i.Message));
        Assert.DoesNotContain("john.doe", all);
        Assert.DoesNotContain("010-0999", all);
        Assert.DoesNotContain("0100999", all);
    }

    [Fact]
    public void A_missing_column_is_simply_absent_for_the_row_rules()
    {
        var map = new ColumnMap(new[] { "event_type", "phone", "timestamp" });
        Assert.Empty(map.MissingRequired());
        var validator = new EventRowValidator(map, new RowRuleOptions(new PiiNormalizer("US"), null, Now));
        var issues = new List<RowIssue>();
        Assert.Equal(0, validator.Validate(new[] { "Lead", "(213) 373-4253", "2026-11-20T10:00:00Z" }, issues));
        Assert.Empty(issues);
    }

    [Fact]
    public void Column_map_finds_missing_duplicate_and_unknown_columns()
    {
        var map = new ColumnMap(new[] { "Event_Type ", "email", "EMAIL", "coupon", "timestamp" });
        Assert.Equal(0, map["event_type"]);
        Assert.Equal(1, map["email"]);
        Assert.Equal(new[] { "email" }, map.Duplicates);
        Assert.Equal(new[] { "coupon" }, map.Unknown);
        Assert.Empty(map.MissingRequired());
        Assert.Equal(new[] { "event_type", "timestamp", "email or phone" }, new ColumnMap(new[] { "price" }).MissingRequired());
    }
}

public class TimestampFastPathTests
{
    [Fact]
    public void The_regex_free_reading_agrees_with_the_regex_on_every_spelling()
    {
        // A leading space sends a value down the regex path; without it, common spellings take the fast one.
        var random = new Random(3);
        var zones = new TimeZoneInfo?[] { null, TimeZoneInfo.FindSystemTimeZoneById("America/New_York"), TimeZoneInfo.FindSystemTimeZoneById("Europe/London") };
        var samples = new List<string>
        {
            "2026-11-20T10:00:00Z", "2026-11-20T10:00:00", "2026-11-20T10:00:00.1Z", "2026-11-20T10:00:00.1234567Z", "2026-11-20T10:00:00.123456789Z",
            "2026-11-20T10:00:00+05:30", "2026-11-20T10:00:00-14:00", "2026-11-20T10:00:00+15:00", "2026-11-20T10:00:00+05:75", "2026-02-29T10:00:00Z",
            "2024-02-29T23:59:59Z", "2026-13-01T00:00:00Z", "2026-11-31T00:00:00Z", "2026-11-20T24:00:00Z", "0000-01-01T00:00:00Z", "2026-03-08T02:30:00",
            "2026-11-01T01:30:00", "2026-11-20T10:00:00.Z", "2026-11-20T10:00:00z", "2026-11-20 10:00:00Z", "2026-11-20T10:00Z", "2026-11-20T10:00:00+0530",
        };
        for (int i = 0; i < 2000; i++)
        {
            var t = new DateTime(2000, 1, 1).AddSeconds(random.NextDouble() * 900_000_000);
            string fraction = (i % 3) switch { 0 => "", 1 => "." + random.Next(0, 1000).ToString("D3"), _ => "." + random.Next(0, 10_000_000).ToString("D7") };
            string offset = (i % 4) switch { 0 => "", 1 => "Z", 2 => "+01:00", _ => "-07:30" };
            samples.Add(t.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + fraction + offset);
        }
        foreach (var zone in zones)
        {
            foreach (string s in samples)
            {
                var fastKind = ValueRules.TryParseTimestamp(s, zone, out var fastValue, out string fastReason);
                var slowKind = ValueRules.TryParseTimestamp(" " + s, zone, out var slowValue, out string slowReason);
                Assert.True(fastKind == slowKind && fastValue == slowValue && fastValue.Offset == slowValue.Offset && fastReason == slowReason,
                    $"{s} [{zone?.Id}]: {fastKind} {fastValue:o} '{fastReason}' vs {slowKind} {slowValue:o} '{slowReason}'");
            }
        }
    }
}
