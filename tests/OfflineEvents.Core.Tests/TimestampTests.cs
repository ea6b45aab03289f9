using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using OfflineEvents.Core.Pii;
using OfflineEvents.Core.Rules;
using Xunit;

namespace OfflineEvents.Core.Tests;

/// <summary>Timestamps as exports write them (issue 16 item 3): formats, epoch values, zones by any name, the DST rule.</summary>
public class TimestampFormatTests
{
    private static DateTimeOffset Read(string text, TimeZoneInfo? zone = null, TimestampFormats? formats = null)
    {
        var kind = ValueRules.TryParseTimestamp(text, zone, formats, out var value, out string reason, out _);
        Assert.True(kind is ValueRules.TimestampKind.WithOffset or ValueRules.TimestampKind.NoOffset, $"{text}: {kind} {reason}");
        return value;
    }

    [Theory]
    [InlineData("2026-11-08 09:57:59 -0500", "2026-11-08T14:57:59Z")]   // Shopify
    [InlineData("2026-11-08 09:57:59 -05:00", "2026-11-08T14:57:59Z")]
    [InlineData("2026-11-08T09:57:59-0500", "2026-11-08T14:57:59Z")]
    [InlineData("2026-11-08T09:57:59 -05:00", "2026-11-08T14:57:59Z")]
    [InlineData("2026-11-08 14:57:59 Z", "2026-11-08T14:57:59Z")]
    [InlineData("2026-11-08 14:57:59Z", "2026-11-08T14:57:59Z")]
    [InlineData("2026-11-08 09:57:59.250 -0500", "2026-11-08T14:57:59.25Z")]
    [InlineData("2026-11-08 20:27:59 +0530", "2026-11-08T14:57:59Z")]
    public void Iso_with_a_space_before_the_offset_and_offsets_without_a_colon_are_read(string text, string utc)
    {
        var value = Read(text);
        Assert.Equal(DateTimeOffset.Parse(utc, CultureInfo.InvariantCulture), value);
        Assert.Equal(ValueRules.TimestampKind.WithOffset, ValueRules.TryParseTimestamp(text, null, out _, out _));
        // The regex path (a leading space) reads it the same.
        Assert.Equal(value, Read(" " + text));
    }

    [Theory]
    [InlineData("1794149879", "2026-11-08T14:57:59Z")]        // 10 digits: seconds
    [InlineData("1794149879250", "2026-11-08T14:57:59.25Z")]  // 13 digits: milliseconds
    [InlineData("99999999999", "5138-11-16T09:46:39Z")]       // 11 digits: still seconds
    [InlineData("100000000000", "1973-03-03T09:46:40Z")]      // 12 digits: milliseconds
    public void Epoch_values_are_seconds_up_to_11_digits_and_milliseconds_at_12_or_13(string text, string utc)
    {
        Assert.Equal(ValueRules.TimestampKind.WithOffset, ValueRules.TryParseTimestamp(text, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"), out var value, out _));
        Assert.Equal(DateTimeOffset.Parse(utc, CultureInfo.InvariantCulture), value);
        Assert.Equal(TimeSpan.Zero, value.Offset); // UTC whatever the zone
    }

    [Fact]
    public void An_epoch_number_of_more_than_13_digits_says_what_epoch_values_look_like()
    {
        Assert.Equal(ValueRules.TimestampKind.Invalid, ValueRules.TryParseTimestamp("17941498792500", null, out _, out string why));
        Assert.Contains("14 digits", why);
        Assert.Contains("milliseconds 12 or 13", why);
    }

    [Fact]
    public void Us_dates_are_read_with_their_format_and_culture()
    {
        var us = new TimestampFormats(new[] { "M/d/yyyy h:mm tt" }, CultureInfo.GetCultureInfo("en-US"));
        var ny = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 9, 53, 0, TimeSpan.FromHours(-5)), Read("11/24/2026 9:53 AM", ny, us));
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 21, 53, 0, TimeSpan.FromHours(-5)), Read("11/24/2026 9:53 PM", ny, us));
        // Without a zone an offset-less format reads UTC, like an ISO time without offset.
        Assert.Equal(ValueRules.TimestampKind.NoOffset, ValueRules.TryParseTimestamp("11/24/2026 9:53 AM", null, us, out var utc, out _, out _));
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 9, 53, 0, TimeSpan.Zero), utc);
        // ISO still reads with a format given.
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 9, 53, 0, TimeSpan.Zero), Read("2026-11-24T09:53:00Z", null, us));
    }

    [Fact]
    public void German_dates_are_read_with_their_format_and_several_formats_are_tried_in_order()
    {
        var de = new TimestampFormats(new[] { "dd.MM.yyyy HH:mm:ss", "dd.MM.yyyy HH:mm" }, CultureInfo.GetCultureInfo("de-DE"));
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 14, 22, 0, TimeSpan.FromHours(1)), Read("03.11.2026 14:22", berlin, de));
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 14, 22, 5, TimeSpan.FromHours(1)), Read("03.11.2026 14:22:05", berlin, de));
    }

    [Fact]
    public void A_format_with_an_offset_reads_an_instant_and_ignores_the_zone()
    {
        var f = new TimestampFormats(new[] { "dd/MM/yyyy HH:mm zzz" });
        Assert.Equal(ValueRules.TimestampKind.WithOffset, ValueRules.TryParseTimestamp("24/11/2026 09:53 +01:00", TimeZoneInfo.FindSystemTimeZoneById("America/New_York"), f, out var value, out _, out _));
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 8, 53, 0, TimeSpan.Zero), value);
    }

    [Fact]
    public void A_value_that_matches_nothing_names_the_formats_tried_and_suggests_TimestampFormat()
    {
        Assert.Equal(ValueRules.TimestampKind.Invalid, ValueRules.TryParseTimestamp("11/24/2026 9:53 AM", null, out _, out string why));
        Assert.Contains("ISO-8601", why);
        Assert.Contains("epoch", why);
        Assert.Contains("-TimestampFormat", why);
        Assert.Contains("'M/d/yyyy h:mm tt'", why);
        Assert.Equal(ValueRules.TimestampKind.Invalid, ValueRules.TryParseTimestamp("03.11.2026 14:22", null, out _, out why));
        Assert.Contains("'dd.MM.yyyy HH:mm'", why);
        var de = new TimestampFormats(new[] { "dd.MM.yyyy HH:mm" }, CultureInfo.GetCultureInfo("de-DE"));
        Assert.Equal(ValueRules.TimestampKind.Invalid, ValueRules.TryParseTimestamp("11/24/2026 9:53 AM", null, de, out _, out why, out _));
        Assert.Contains("none of -TimestampFormat 'dd.MM.yyyy HH:mm' (culture de-DE)", why);
        Assert.Contains("ISO-8601", why);
    }

    [Theory]
    [InlineData("")]
    [InlineData("%")]
    [InlineData("'unclosed")]
    public void An_invalid_format_is_refused_up_front(string format) =>
        Assert.Throws<ArgumentException>(() => new TimestampFormats(new[] { format }));
}

public class DaylightSavingRuleTests
{
    private static (DateTimeOffset Value, DstAdjustment Dst) Read(string text, string zone)
    {
        var kind = ValueRules.TryParseTimestamp(text, TimeZoneInfo.FindSystemTimeZoneById(zone), null, out var value, out string reason, out var dst);
        Assert.True(kind == ValueRules.TimestampKind.NoOffset, $"{text}: {kind} {reason}");
        return (value, dst);
    }

    [Theory]
    // Spring forward: the skipped local time is moved forward by the gap.
    [InlineData("America/New_York", "2026-03-08T02:30:00", "2026-03-08T03:30:00-04:00")]
    [InlineData("America/New_York", "2026-03-08 02:00", "2026-03-08T03:00:00-04:00")]
    [InlineData("Europe/Berlin", "2026-03-29T02:30:00", "2026-03-29T03:30:00+02:00")]
    [InlineData("Europe/Berlin", "2026-03-29T02:59:59", "2026-03-29T03:59:59+02:00")]
    public void A_time_in_the_spring_forward_gap_is_moved_forward_by_the_gap(string zone, string text, string expected)
    {
        var (value, dst) = Read(text, zone);
        Assert.Equal(DstAdjustment.MovedForward, dst);
        Assert.Equal(expected, value.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture));
    }

    [Theory]
    // Fall back: the local time that happens twice is its first (daylight) occurrence.
    [InlineData("America/New_York", "2026-11-01T01:30:00", "2026-11-01T01:30:00-04:00")]
    [InlineData("America/New_York", "2026-11-01T01:00:00", "2026-11-01T01:00:00-04:00")]
    [InlineData("Europe/Berlin", "2026-10-25T02:30:00", "2026-10-25T02:30:00+02:00")]
    [InlineData("Europe/Berlin", "2026-10-25 02:00:00", "2026-10-25T02:00:00+02:00")]
    public void A_time_in_the_fall_back_overlap_is_the_first_occurrence(string zone, string text, string expected)
    {
        var (value, dst) = Read(text, zone);
        Assert.Equal(DstAdjustment.FirstOccurrence, dst);
        Assert.Equal(expected, value.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("America/New_York", "2026-03-08T01:59:59", "-05:00")]
    [InlineData("America/New_York", "2026-03-08T03:00:00", "-04:00")]
    [InlineData("America/New_York", "2026-11-01T02:00:00", "-05:00")]
    [InlineData("Europe/Berlin", "2026-03-29T01:59:59", "+01:00")]
    [InlineData("Europe/Berlin", "2026-03-29T03:00:00", "+02:00")]
    [InlineData("Europe/Berlin", "2026-10-25T03:00:00", "+01:00")]
    public void Times_just_outside_the_changes_are_not_adjusted(string zone, string text, string offset)
    {
        var (value, dst) = Read(text, zone);
        Assert.Equal(DstAdjustment.None, dst);
        Assert.Equal(offset, value.ToString("zzz", CultureInfo.InvariantCulture));
    }
}

public class TimeZoneNameTests
{
    [Theory]
    [InlineData("America/Chicago")]
    [InlineData("Central Standard Time")]
    [InlineData("Central Time (US & Canada)")]
    [InlineData("central time (us & canada)")]
    public void Iana_windows_and_rails_names_find_the_same_rules(string name)
    {
        Assert.True(TimeZoneNames.TryFind(name, out var zone));
        var july = new DateTime(2026, 7, 1, 12, 0, 0);
        var january = new DateTime(2026, 1, 1, 12, 0, 0);
        Assert.Equal(TimeSpan.FromHours(-5), zone.GetUtcOffset(july));
        Assert.Equal(TimeSpan.FromHours(-6), zone.GetUtcOffset(january));
    }

    [Theory]
    [InlineData("Berlin")]
    [InlineData("W. Europe Standard Time")]
    [InlineData("Europe/Berlin")]
    public void European_names_in_all_three_systems(string name)
    {
        Assert.True(TimeZoneNames.TryFind(name, out var zone));
        Assert.Equal(TimeSpan.FromHours(2), zone.GetUtcOffset(new DateTime(2026, 7, 1, 12, 0, 0)));
    }

    [Theory]
    [InlineData("Mars/Olympus")]
    [InlineData("")]
    [InlineData("   ")]
    public void Unknown_names_are_not_found(string name) => Assert.False(TimeZoneNames.TryFind(name, out _));
}

public class TimestampColumnTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static (int Errors, List<RowIssue> Issues, ParsedRow Parsed) Check(string[] header, string?[] row, TimeZoneInfo? zone = null, TimestampFormats? formats = null)
    {
        var options = new RowRuleOptions(new PiiNormalizer("US"), zone, Now) { TimestampFormats = formats };
        var validator = new EventRowValidator(new ColumnMap(header, ColumnMatching.Aliases), options);
        var issues = new List<RowIssue>();
        var parsed = new ParsedRow();
        int errors = validator.Validate(row, issues, null, parsed);
        return (errors, issues, parsed);
    }

    private static readonly string[] DateTimeHeader = { "event_type", "email", "date", "time" };

    [Fact]
    public void A_date_and_a_time_column_make_one_timestamp()
    {
        var (errors, issues, parsed) = Check(DateTimeHeader, new[] { "Purchase", "jo@example.com", "2026-11-20", "09:53:10" }, TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
        Assert.Equal(0, errors);
        Assert.Empty(issues);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 14, 53, 10, TimeSpan.Zero), parsed.Time);
        // Every cmdlet (Test-OfflineEventFile too) resolves columns this way.
        Assert.Empty(new ColumnMap(DateTimeHeader, ColumnMatching.Aliases).MissingRequired());
    }

    [Fact]
    public void A_format_describes_the_date_and_the_time_joined_by_a_space()
    {
        var us = new TimestampFormats(new[] { "M/d/yyyy h:mm tt" }, CultureInfo.GetCultureInfo("en-US"));
        var (errors, _, parsed) = Check(DateTimeHeader, new[] { "Purchase", "jo@example.com", "11/20/2026", "9:53 PM" }, TimeZoneInfo.FindSystemTimeZoneById("UTC"), us);
        Assert.Equal(0, errors);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 21, 53, 0, TimeSpan.Zero), parsed.Time);
    }

    [Fact]
    public void An_empty_time_beside_a_date_is_a_missing_timestamp_on_the_time_column()
    {
        var (errors, issues, _) = Check(DateTimeHeader, new[] { "Purchase", "jo@example.com", "2026-11-20", " " });
        Assert.Equal(1, errors);
        var issue = Assert.Single(issues);
        Assert.Equal(RuleIds.TimestampMissing, issue.RuleId);
        Assert.Equal("time", issue.Column);
        Assert.Equal("time is empty", issue.Message);
    }

    [Fact]
    public void A_bad_date_and_time_says_so_naming_both()
    {
        var (errors, issues, _) = Check(DateTimeHeader, new[] { "Purchase", "jo@example.com", "20.11.2026", "09:53" });
        Assert.Equal(1, errors);
        var issue = Assert.Single(issues);
        Assert.Equal(RuleIds.TimestampInvalid, issue.RuleId);
        Assert.Equal("date", issue.Column);
        Assert.StartsWith("date and time '20.11.2026 09:53' is not ISO-8601", issue.Message);
        Assert.Contains("-TimestampFormat", issue.Message);
    }

    [Fact]
    public void A_time_column_alone_is_no_timestamp()
    {
        Assert.Equal(new[] { "timestamp" }, new ColumnMap(new[] { "event_type", "email", "Time" }, ColumnMatching.Aliases).MissingRequired());
    }

    private static readonly string[] ZoneHeader = { "event_type", "email", "timestamp", "Time Zone" };

    [Theory]
    [InlineData("Central Time (US & Canada)")]
    [InlineData("Central Standard Time")]
    [InlineData("America/Chicago")]
    public void A_rows_time_zone_places_its_offsetless_time_in_any_naming_system(string zone)
    {
        // -TimeZone (Tokyo) is the default; the row's own zone wins.
        var (errors, issues, parsed) = Check(ZoneHeader, new[] { "Purchase", "jo@example.com", "2026-11-20 09:53", zone }, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"));
        Assert.Equal(0, errors);
        Assert.Empty(issues);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 15, 53, 0, TimeSpan.Zero), parsed.Time);
    }

    [Fact]
    public void A_blank_row_zone_falls_back_to_TimeZone_and_a_written_offset_wins_over_both()
    {
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 0, 53, 0, TimeSpan.Zero), Check(ZoneHeader, new[] { "Purchase", "jo@example.com", "2026-11-20 09:53", "" }, tokyo).Parsed.Time);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 14, 53, 0, TimeSpan.Zero), Check(ZoneHeader, new[] { "Purchase", "jo@example.com", "2026-11-20 09:53 -0500", "Europe/Berlin" }, tokyo).Parsed.Time);
        // Neither: UTC, with the warning.
        var (_, issues, parsed) = Check(ZoneHeader, new[] { "Purchase", "jo@example.com", "2026-11-20 09:53", "" });
        Assert.Equal(RuleIds.TimestampNoOffset, Assert.Single(issues).RuleId);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 9, 53, 0, TimeSpan.Zero), parsed.Time);
    }

    [Fact]
    public void An_unknown_row_zone_is_a_row_error_naming_the_systems()
    {
        var (errors, issues, parsed) = Check(ZoneHeader, new[] { "Purchase", "jo@example.com", "2026-11-20 09:53", "Mars/Olympus" });
        Assert.Equal(1, errors);
        var issue = Assert.Single(issues);
        Assert.Equal(RuleIds.TimeZoneUnknown, issue.RuleId);
        Assert.Equal("Time Zone", issue.Column);
        Assert.Contains("'Mars/Olympus' is not a time zone name", issue.Message);
        Assert.Contains("Rails", issue.Message);
        Assert.Null(parsed.Time);
    }

    [Theory]
    [InlineData("America/New_York", "2026-03-08 02:30", "TimestampDstGap", "2026-03-08T07:30:00Z", "moved forward")]
    [InlineData("Europe/Berlin", "2026-03-29 02:30", "TimestampDstGap", "2026-03-29T01:30:00Z", "moved forward")]
    [InlineData("America/New_York", "2026-11-01 01:30", "TimestampDstOverlap", "2026-11-01T05:30:00Z", "read as the first")]
    [InlineData("Europe/Berlin", "2026-10-25 02:30", "TimestampDstOverlap", "2026-10-25T00:30:00Z", "read as the first")]
    public void Dst_adjustments_are_sent_with_a_warning(string zone, string time, string rule, string utc, string text)
    {
        var options = new RowRuleOptions(new PiiNormalizer("US"), null, new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero)) { MaxAge = TimeSpan.FromDays(400) };
        var validator = new EventRowValidator(new ColumnMap(ZoneHeader, ColumnMatching.Aliases), options);
        var issues = new List<RowIssue>();
        var parsed = new ParsedRow();
        Assert.Equal(0, validator.Validate(new[] { "Purchase", "jo@example.com", time, zone }, issues, null, parsed));
        var issue = Assert.Single(issues);
        Assert.Equal(rule, issue.RuleId);
        Assert.Equal(Severity.Warning, issue.Severity);
        Assert.Contains(zone, issue.Message);
        Assert.Contains(text, issue.Message);
        Assert.Equal(DateTimeOffset.Parse(utc, CultureInfo.InvariantCulture), parsed.Time);
    }

    [Theory]
    [InlineData("946684799", RuleIds.TimestampOutOfRange, "before 2000-01-01")]      // epoch seconds, 1999
    [InlineData("946684799999", RuleIds.TimestampOutOfRange, "before 2000-01-01")]   // epoch milliseconds, 1999
    [InlineData("99999999999", RuleIds.TimestampFuture, "in the future")]            // year 5138
    public void Epoch_values_keep_the_bounds(string text, string rule, string reason)
    {
        var (errors, issues, _) = Check(new[] { "event_type", "email", "timestamp" }, new[] { "Purchase", "jo@example.com", text });
        Assert.Equal(1, errors);
        var issue = Assert.Single(issues);
        Assert.Equal(rule, issue.RuleId);
        Assert.Contains(reason, issue.Message);
    }

    [Fact]
    public void Epoch_seconds_are_sent_as_the_instant_they_are()
    {
        var (errors, issues, parsed) = Check(new[] { "event_type", "email", "timestamp" }, new[] { "Purchase", "jo@example.com", "1795428000" });
        Assert.Equal(0, errors);
        Assert.Empty(issues); // UTC: no offset warning
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795428000), parsed.Time);
    }
}
