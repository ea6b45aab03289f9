using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using OfflineEvents.Core.Pii;
using OfflineEvents.Core.Rules;
using Xunit;

namespace OfflineEvents.Core.Tests;

/// <summary>Prices and quantities as exports write them: currency signs and codes, and -Culture's separators (issue 16).</summary>
public class WrittenAmountTests
{
    [Theory]
    [InlineData("$12.50", null, "12.50", "")]           // '$' names several currencies: the row's currency column decides
    [InlineData("¥500", null, "500", "")]
    [InlineData("12.50 EUR", null, "12.50", "EUR")]
    [InlineData("USD 12.50", null, "12.50", "USD")]
    [InlineData("usd12.50", null, "12.50", "USD")]
    [InlineData("£9.99", null, "9.99", "GBP")]
    [InlineData("US$ 5", null, "5", "USD")]
    [InlineData("12,50 €", "de-DE", "12.50", "EUR")]
    [InlineData("12,50\u00A0€", "de-DE", "12.50", "EUR")]
    [InlineData("€ 1.234,50", "de-DE", "1234.50", "EUR")]
    [InlineData("1.234,50", "de-DE", "1234.50", "")]
    [InlineData("13,50", "de-DE", "13.50", "")]
    [InlineData("7", "de-DE", "7", "")]
    [InlineData("1,234.50", "en-US", "1234.50", "")]
    [InlineData("$1,234.50", "en-US", "1234.50", "")]
    [InlineData("12.50", "en-US", "12.50", "")]
    [InlineData("1\u202F234,50", "fr-FR", "1234.50", "")]
    [InlineData("1 234,50 €", "fr-FR", "1234.50", "EUR")]
    public void Prices_are_read_as_exports_write_them(string text, string? culture, string amount, string currency)
    {
        Assert.True(ValueRules.TryParsePrice(text, culture == null ? null : CultureInfo.GetCultureInfo(culture), out decimal value, out string code, out string why), why);
        Assert.Equal(amount, value.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(currency, code);
    }

    [Theory]
    [InlineData("12,50", null, "-Culture (such as de-DE")]
    [InlineData("12,50 €", null, "-Culture (such as de-DE")]
    [InlineData("1.234,50", null, "-Culture (en-US reads 1,234.50, de-DE 1.234,50)")]
    [InlineData("12.50", "de-DE", "not an amount as culture de-DE writes it (such as 1.234,50)")]   // not read as 1250
    [InlineData("1.23.4,5", "de-DE", "not an amount as culture de-DE writes it")]
    [InlineData("-$5.00", null, "negative")]
    [InlineData("$-5.00", null, "negative")]
    [InlineData("-12,50 €", "de-DE", "negative")]
    [InlineData("$12.50.1", null, "not a number")]
    [InlineData("12 dollars", null, "not a number")]
    [InlineData("$1000000000000", null, "or more")]
    public void Amounts_not_written_as_the_culture_writes_them_say_why(string text, string? culture, string reason)
    {
        Assert.False(ValueRules.TryParsePrice(text, culture == null ? null : CultureInfo.GetCultureInfo(culture), out _, out _, out string why));
        Assert.Contains(reason, why);
    }

    [Theory]
    [InlineData("1,0", "de-DE", 1)]
    [InlineData("2,00", "de-DE", 2)]
    [InlineData("1.000", "de-DE", 1000)]
    [InlineData("3", "de-DE", 3)]
    [InlineData("1,000", "en-US", 1000)]
    [InlineData("2.0", null, 2)]
    public void Quantities_follow_the_culture(string text, string? culture, long expected)
    {
        Assert.True(ValueRules.TryParseQuantity(text, culture == null ? null : CultureInfo.GetCultureInfo(culture), out long value, out string why), why);
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("2,5", "de-DE", "whole number")]
    [InlineData("0,0", "de-DE", "at least 1")]
    [InlineData("-1", "de-DE", "at least 1")]
    [InlineData("zwei", "de-DE", "culture de-DE")]
    [InlineData("2,0", null, "-Culture")]
    public void Quantities_not_so_written_say_why(string text, string? culture, string reason)
    {
        Assert.False(ValueRules.TryParseQuantity(text, culture == null ? null : CultureInfo.GetCultureInfo(culture), out _, out string why));
        Assert.Contains(reason, why);
    }

    private static readonly string[] Header = OfflineEventColumns.All.ToArray();

    private static (int Errors, List<RowIssue> Issues, ParsedRow Parsed) Check(string price, string currency, string? culture = null, string? defaultCurrency = null, string quantity = "2")
    {
        var row = new Dictionary<string, string>
        {
            ["event_type"] = "Complete Payment", ["email"] = "jo@example.com", ["phone"] = "",
            ["timestamp"] = "2026-11-20T10:00:00Z", ["price"] = price, ["currency"] = currency,
            ["transaction_category"] = "", ["order_id"] = "A-1", ["quantity"] = quantity,
            ["product_id"] = "SKU-1", ["product_category"] = "", ["store_id"] = "",
        };
        var options = new RowRuleOptions(new PiiNormalizer("US"), null, new System.DateTimeOffset(2026, 11, 24, 12, 0, 0, System.TimeSpan.Zero))
        {
            NumberCulture = culture == null ? null : CultureInfo.GetCultureInfo(culture),
            DefaultCurrency = defaultCurrency,
        };
        var validator = new EventRowValidator(new ColumnMap(Header), options);
        var issues = new List<RowIssue>();
        var parsed = new ParsedRow();
        int errors = validator.Validate(Header.Select(h => (string?)row[h]).ToArray(), issues, parsed: parsed);
        return (errors, issues, parsed);
    }

    [Fact]
    public void A_currency_written_with_the_price_is_the_rows_when_its_column_is_empty()
    {
        var (errors, issues, parsed) = Check("12,50 €", "", "de-DE", defaultCurrency: "USD");
        Assert.Equal(0, errors);
        Assert.Empty(issues);
        Assert.Equal(12.50m, parsed.Price);
        Assert.Equal("EUR", parsed.Currency);
        Assert.Equal(2, parsed.Quantity);

        // '$' names no one currency: -DefaultCurrency (or the column) gives it.
        (errors, _, parsed) = Check("$12.50", "", defaultCurrency: "CAD");
        Assert.Equal(0, errors);
        Assert.Equal("CAD", parsed.Currency);
        (errors, _, parsed) = Check("$12.50", "USD");
        Assert.Equal(0, errors);
        Assert.Equal("USD", parsed.Currency);
    }

    [Fact]
    public void A_price_in_one_currency_and_a_column_naming_another_is_an_error()
    {
        var (errors, issues, _) = Check("12.50 EUR", "USD");
        Assert.Equal(1, errors);
        var issue = Assert.Single(issues);
        Assert.Equal(RuleIds.PriceInvalid, issue.RuleId);
        Assert.Equal("price", issue.Column);
        Assert.Contains("written in EUR but the currency column says USD", issue.Message);
    }

    [Fact]
    public void Culture_quantities_reach_the_row()
    {
        var (errors, _, parsed) = Check("1.234,50", "EUR", "de-DE", quantity: "1,0");
        Assert.Equal(0, errors);
        Assert.Equal(1234.50m, parsed.Price);
        Assert.Equal(1, parsed.Quantity);
    }
}
