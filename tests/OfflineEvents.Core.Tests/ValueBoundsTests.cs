using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using OfflineEvents.Core.Pii;
using OfflineEvents.Core.Rules;
using Xunit;

namespace OfflineEvents.Core.Tests;

/// <summary>Issue 17 items 1, 2, 15 and 17, issue 15's currency fact: row values at and past their bounds.</summary>
public class ValueBoundsTests
{
    private static readonly string[] Header = OfflineEventColumns.All.Concat(new[] { "external_id", "event_id" }).ToArray();
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static (int Errors, List<RowIssue> Issues, ParsedRow Parsed) Check(Action<Dictionary<string, string>> change, TimeZoneInfo? zone = null,
        PriceMeaning priceIs = PriceMeaning.RowTotal)
    {
        var row = new Dictionary<string, string>
        {
            ["event_type"] = "Complete Payment", ["email"] = "jo@example.com", ["phone"] = "+12133734253",
            ["timestamp"] = "2026-11-20T10:00:00Z", ["price"] = "19.99", ["currency"] = "USD",
            ["transaction_category"] = "retail", ["order_id"] = "A-1", ["quantity"] = "2",
            ["product_id"] = "SKU-1", ["product_category"] = "shoes", ["store_id"] = "store_1",
            ["external_id"] = "user_1", ["event_id"] = "",
        };
        change(row);
        var validator = new EventRowValidator(new ColumnMap(Header, ColumnMatching.Aliases), new RowRuleOptions(new PiiNormalizer("US"), zone, Now) { PriceIs = priceIs });
        var issues = new List<RowIssue>();
        var parsed = new ParsedRow();
        int errors = validator.Validate(Header.Select(h => (string?)row[h]).ToArray(), issues, null, parsed);
        return (errors, issues, parsed);
    }

    private static RowIssue SingleError(Action<Dictionary<string, string>> change, TimeZoneInfo? zone = null, PriceMeaning priceIs = PriceMeaning.RowTotal)
    {
        var (errors, issues, _) = Check(change, zone, priceIs);
        Assert.Equal(1, errors);
        return Assert.Single(issues, i => i.Severity == Severity.Error);
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00+01:00", "outside the years 1-9999")]
    [InlineData("9999-12-31T23:59:59-14:00", "outside the years 1-9999")]
    [InlineData("0001-01-01T00:00:00.0000001+00:01", "outside the years 1-9999")]
    [InlineData("1970-01-01T00:00:00Z", "before 2000-01-01")]
    [InlineData("0001-01-01T00:00:00Z", "before 2000-01-01")]
    [InlineData("1999-12-31T23:59:59Z", "before 2000-01-01")]
    [InlineData("2000-01-01T00:59:59+01:00", "before 2000-01-01")]
    public void Times_outside_the_calendar_or_before_2000_are_row_errors(string time, string reason)
    {
        var issue = SingleError(r => r["timestamp"] = time);
        Assert.Equal(RuleIds.TimestampOutOfRange, issue.RuleId);
        Assert.Equal("timestamp", issue.Column);
        Assert.Contains(reason, issue.Message);
    }

    [Fact]
    public void A_time_zone_that_moves_a_time_out_of_the_calendar_is_a_row_error()
    {
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        var issue = SingleError(r => r["timestamp"] = "0001-01-01T00:00:00", tokyo);
        Assert.Equal(RuleIds.TimestampOutOfRange, issue.RuleId);
        var honolulu = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Honolulu");
        Assert.Equal(RuleIds.TimestampOutOfRange, SingleError(r => r["timestamp"] = "9999-12-31T23:59:59", honolulu).RuleId);
    }

    [Fact]
    public void The_earliest_time_is_accepted_with_only_the_age_warning()
    {
        var (errors, issues, parsed) = Check(r => r["timestamp"] = "2000-01-01T00:00:00Z");
        Assert.Equal(0, errors);
        Assert.Equal(RuleIds.TimestampTooOld, Assert.Single(issues).RuleId);
        Assert.Equal(946684800, parsed.Time!.Value.ToUnixTimeSeconds());
    }

    [Theory]
    [InlineData("999999999999.999", true)]
    [InlineData("1000000000000", false)]
    [InlineData("12.345", true)]
    [InlineData("12.3450", true)]
    [InlineData("12.3456", false)]
    [InlineData("99999999999999999999999999999999", false)]
    public void Prices_are_bounded_below_a_trillion_with_three_decimals(string price, bool ok)
    {
        var (errors, issues, parsed) = Check(r => { r["price"] = price; r["quantity"] = "1"; });
        if (ok)
        {
            Assert.Equal(0, errors);
            Assert.Equal(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture), parsed.Price);
        }
        else
        {
            Assert.Equal(1, errors);
            var issue = Assert.Single(issues);
            Assert.Equal(RuleIds.PriceInvalid, issue.RuleId);
            Assert.Matches("1.000.000.000.000 or more|more than 3 decimal places", issue.Message);
        }
    }

    [Theory]
    [InlineData("2147483647", true)]
    [InlineData("2147483648", false)]
    [InlineData("9223372036854775807", false)]
    [InlineData("99999999999999999999999", false)]
    public void Quantities_are_positive_int32(string quantity, bool ok)
    {
        var (errors, issues, _) = Check(r => { r["quantity"] = quantity; r["price"] = "0.001"; });
        if (ok)
        {
            Assert.Equal(0, errors);
            return;
        }
        var issue = Assert.Single(issues);
        Assert.Equal(RuleIds.QuantityInvalid, issue.RuleId);
        Assert.Contains("2", issue.Message);
        Assert.Contains("the largest quantity TikTok takes", issue.Message);
    }

    [Fact]
    public void Price_times_quantity_is_bounded_and_never_overflows()
    {
        // The attack run's row: 99999999999 x 9223372036854775807 ended the whole Send with OverflowException.
        var overflow = Check(r => { r["price"] = "99999999999"; r["quantity"] = "9223372036854775807"; }, priceIs: PriceMeaning.UnitPrice);
        Assert.Equal(new[] { RuleIds.QuantityInvalid }, overflow.Issues.Select(i => i.RuleId));
        // With -PriceIs UnitPrice the row's total is price x quantity.
        var issue = SingleError(r => { r["price"] = "500000000000"; r["quantity"] = "2"; }, priceIs: PriceMeaning.UnitPrice);
        Assert.Equal(RuleIds.ValueTooLarge, issue.RuleId);
        Assert.Equal("price", issue.Column);
        Assert.Equal(0, Check(r => { r["price"] = "499999999999.999"; r["quantity"] = "2"; }, priceIs: PriceMeaning.UnitPrice).Errors);
    }

    [Fact]
    public void A_row_total_is_the_price_itself_so_quantity_does_not_multiply_it()
    {
        // price is the row's total (TikTok's template): 500,000,000,000 for 2 items is within bounds.
        Assert.Equal(0, Check(r => { r["price"] = "500000000000"; r["quantity"] = "2"; }).Errors);
    }

    [Theory]
    [InlineData("event_type", 64)]
    [InlineData("email", 320)]
    [InlineData("phone", 64)]
    [InlineData("timestamp", 64)]
    [InlineData("price", 64)]
    [InlineData("currency", 16)]
    [InlineData("quantity", 64)]
    [InlineData("order_id", 256)]
    [InlineData("product_id", 256)]
    [InlineData("product_category", 256)]
    [InlineData("transaction_category", 256)]
    [InlineData("store_id", 256)]
    [InlineData("external_id", 256)]
    [InlineData("event_id", 256)]
    public void Each_field_is_bounded_in_length(string column, int max)
    {
        Assert.Equal(max, EventRowValidator.MaxLengths[column]);
        var issue = SingleError(r => r[column] = new string('7', max + 1));
        Assert.Equal(RuleIds.FieldTooLong, issue.RuleId);
        Assert.Equal(column, issue.Column);
        Assert.Contains($"over the limit of {max}", issue.Message);
        // At the limit, the length rule is silent (other rules may still speak).
        Assert.DoesNotContain(Check(r => r[column] = new string('7', max)).Issues, i => i.RuleId == RuleIds.FieldTooLong);
    }

    [Fact]
    public void A_10_MB_event_type_is_rejected_by_its_length_at_once()
    {
        string huge = new string('x', 10 * 1024 * 1024);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 20; i++)
        {
            var issue = SingleError(r => r["event_type"] = huge);
            Assert.Equal(RuleIds.FieldTooLong, issue.RuleId);
        }
        // 11.9 s for one row before the length rule; twenty rows now take milliseconds. The bound is only a sanity bound.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"{clock.Elapsed}");
    }

    [Fact]
    public void An_iso_currency_outside_tiktoks_list_is_a_warning_and_is_sent()
    {
        var (errors, issues, parsed) = Check(r => r["currency"] = "isk ");
        Assert.Equal(0, errors);
        Assert.Empty(issues);
        (errors, issues, parsed) = Check(r => r["currency"] = "AMD");
        Assert.Equal(0, errors);
        var issue = Assert.Single(issues);
        Assert.Equal(RuleIds.CurrencyUnsupported, issue.RuleId);
        Assert.Equal(Severity.Warning, issue.Severity);
        Assert.Equal("AMD", parsed.Currency);
        Assert.Equal(RuleIds.CurrencyInvalid, SingleError(r => r["currency"] = "XYZ").RuleId);
    }

    [Fact]
    public void TikToks_currency_list_is_a_subset_of_iso_4217()
    {
        int supported = Currencies.All.Count(Currencies.IsTikTokSupported);
        Assert.InRange(supported, 60, 70);
        Assert.True(Currencies.IsTikTokSupported("USD"));
        Assert.False(Currencies.IsTikTokSupported("XYZ"));
    }
}

public class PiiMaskInMessageTests
{
    [Theory]
    [InlineData("2133734253")]
    [InlineData("+12133734253")]
    [InlineData("+1 (213) 373-4253")]
    [InlineData("(213) 373-4253")]
    [InlineData("213.373.4253")]
    [InlineData("07911 123456")]
    [InlineData("+44 20 7946 0958")]
    [InlineData(" 555-0100 1 ")]
    [InlineData("06\u00A012\u00A034\u00A056\u00A078")]
    [InlineData("213\u2013373\u20134253")]
    [InlineData("+33\u202F6\u202F12\u202F34\u202F56\u202F78")]
    [InlineData("030/12345678")]
    [InlineData("+49 (0)30/1234567")]
    [InlineData("213-373-4253 ext. 12")]
    [InlineData("+1 213 373 4253 x12")]
    [InlineData("(213) 373-4253 #12")]
    [InlineData("\uFF10\uFF19\uFF10\uFF0D\uFF11\uFF12\uFF13\uFF14\uFF0D\uFF15\uFF16\uFF17\uFF18")]
    [InlineData("\uFF0B\uFF18\uFF11\u3000\uFF19\uFF10\u3000\uFF11\uFF12\uFF13\uFF14\u3000\uFF15\uFF16\uFF17\uFF18")]
    public void Phone_shapes_are_masked(string value)
    {
        string masked = PiiMask.InMessage(value);
        Assert.NotEqual(value, masked);
        Assert.DoesNotContain(value.Trim(), masked);
        Assert.True(PiiMask.LooksLikePii(value));
        // At most the last three digits survive.
        Assert.True(masked.Count(char.IsDigit) <= 3, masked);
    }

    [Theory]
    [InlineData("213-373-4253 ext. 12")]
    [InlineData("+1 213 373 4253 x12")]
    [InlineData("(213) 373-4253 #12")]
    public void An_extension_is_masked_whole_and_the_digits_kept_are_the_numbers_own(string value)
    {
        string masked = PiiMask.InMessage(value);
        Assert.EndsWith("253 ext. \u2022\u2022", masked);
        Assert.DoesNotContain("12", masked);
    }

    [Fact]
    public void A_padded_phone_number_is_masked_however_long_its_padding()
    {
        string value = "+1 213 373 4253" + new string(' ', 64);
        Assert.DoesNotContain("373", PiiMask.InMessage(value));
    }

    [Theory]
    [InlineData("jo@example.com")]
    [InlineData(" Jo.Doe+shop@Example.co.uk ")]
    [InlineData("call jo@example.com today")]
    [InlineData("x@y")]
    public void Email_shapes_are_masked(string value)
    {
        string masked = PiiMask.InMessage(value);
        Assert.DoesNotContain(value.Trim(), masked);
        Assert.DoesNotContain("example", masked);
        Assert.True(PiiMask.LooksLikePii(value));
    }

    [Theory]
    [InlineData("2026-11-20T10:00:00Z")]
    [InlineData("2026-11-20")]
    [InlineData("11/20/2026")]
    [InlineData("20.11.2026")]
    [InlineData("2026/11/20")]
    [InlineData("Box 12")]
    [InlineData("ORD-1001x12")]
    [InlineData("1234567.89")]
    [InlineData("19.99")]
    [InlineData("ORD-1001")]
    [InlineData("1001")]
    [InlineData("12345678")]
    [InlineData("Complete Payment")]
    [InlineData("USD")]
    [InlineData("@SUM(A1)")]
    [InlineData("a @ b")]
    [InlineData("9223372036854775807")]
    [InlineData("")]
    public void Other_values_are_quoted_as_they_are(string value) => Assert.Equal(value, PiiMask.InMessage(value));

    [Fact]
    public void A_phone_shifted_into_the_timestamp_column_is_masked_in_the_message()
    {
        var header = OfflineEventColumns.All.ToArray();
        var validator = new EventRowValidator(new ColumnMap(header), new RowRuleOptions(new PiiNormalizer("US")));
        var fields = new string?[header.Length];
        fields[0] = "Purchase";
        fields[1] = "jo@example.com";
        fields[2] = "Smith";             // the last name, shifted by an unquoted comma
        fields[3] = "+1 213 373 4253";   // the phone, shifted into timestamp
        fields[4] = "jo.smith@example.org"; // an email in price
        var issues = new List<RowIssue>();
        validator.Validate(fields, issues);
        Assert.Contains(issues, i => i.RuleId == RuleIds.TimestampInvalid);
        Assert.Contains(issues, i => i.RuleId == RuleIds.PriceInvalid);
        foreach (var issue in issues)
        {
            Assert.DoesNotContain("213 373", issue.Message);
            Assert.DoesNotContain("jo.smith", issue.Message);
            Assert.DoesNotContain("example.org", issue.Message);
        }
    }
}
