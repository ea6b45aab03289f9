using System;
using System.IO;
using System.Linq;
using System.Text;
using OfflineEvents.Core.Files;
using OfflineEvents.Core.Pii;
using OfflineEvents.Core.Rules;
using Xunit;

namespace OfflineEvents.Core.Tests;

/// <summary>Files as Excel and POS systems save them: the UTF-8 pre-scan, -Encoding, -Delimiter and mis-decoded identifiers.</summary>
public class SourceFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("oeps-src-").FullName;
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private const string Text = "event_type,email,timestamp,order_id\nPurchase,ann@example.com,2026-11-20T10:00:00Z,A-1\nPurchase,jos\u00e9@example.com,2026-11-20T10:00:00Z,A-2\n";
    private static readonly Encoding Latin1 = Encoding.GetEncoding(28591);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static FileCheckResult Check(string path, CsvFileFormat? format = null) =>
        new OfflineEventFileChecker(new FileCheckOptions(new RowRuleOptions(new PiiNormalizer("US"), null, Now)) { Format = format ?? CsvFileFormat.Default }).Check(path);

    [Fact]
    public void The_pre_scan_finds_the_first_byte_that_is_not_utf8_and_rewinds()
    {
        using var stream = new MemoryStream(Latin1.GetBytes(Text));
        var bad = Utf8ScanningStream.FirstInvalid(stream);
        Assert.NotNull(bad);
        Assert.Equal(3, bad!.Value.Line);
        Assert.Equal(13, bad.Value.Column);
        Assert.Equal(0xE9, bad.Value.Value);
        Assert.Equal(0, stream.Position);
        Assert.Null(Utf8ScanningStream.FirstInvalid(new MemoryStream(Encoding.UTF8.GetBytes(Text))));
    }

    [Fact]
    public void A_latin1_file_is_valid_with_its_encoding_and_refused_without()
    {
        string path = Write("latin1.csv", Latin1.GetBytes(Text));
        var refused = Check(path);
        // The byte, and the row it spoils: read as UTF-8 the address holds U+FFFD, which is never taken as valid.
        Assert.Equal(new[] { FileRuleIds.FileEncoding, PiiRules.TextMisdecoded }, refused.Issues.Select(i => i.Rule).ToArray());
        Assert.Contains("-Encoding windows-1252", refused.Issues[0].Message);
        var read = Check(path, new CsvFileFormat(Latin1));
        Assert.True(read.IsValid, string.Join("\n", read.Issues));
        Assert.Equal(2, read.Rows);
    }

    [Fact]
    public void Utf8_given_as_the_encoding_is_the_strict_default() =>
        Assert.Null(new CsvFileFormat(Encoding.UTF8).Encoding);

    [Theory]
    [InlineData(';', "semicolon-delimited: add -Delimiter ';'")]
    [InlineData('\t', "tab-delimited: add -Delimiter \"`t\"")]
    [InlineData('|', "pipe-delimited: add -Delimiter '|'")]
    public void A_header_in_another_delimiter_gets_one_hint_and_no_row_errors(char delimiter, string hint)
    {
        string path = Write("other.csv", Encoding.UTF8.GetBytes(Text.Replace(',', delimiter)));
        var r = Check(path);
        var issue = Assert.Single(r.Issues);
        Assert.Equal(FileRuleIds.FileDelimiter, issue.Rule);
        Assert.Contains(hint, issue.Message);
        Assert.True(Check(path, new CsvFileFormat(null, delimiter)).IsValid);
    }

    [Fact]
    public void A_single_column_or_comma_header_gets_no_delimiter_hint()
    {
        Assert.Null(UploadCsv.DelimiterHint(new[] { "email" }, ','));
        Assert.Null(UploadCsv.DelimiterHint(new[] { "event_type", "email" }, ','));
        Assert.Contains("comma-delimited: add -Delimiter ','", UploadCsv.DelimiterHint(new[] { "event_type,email" }, ';'));
    }

    [Theory]
    [InlineData(PiiField.Email, "jos\uFFFD@example.com")]
    [InlineData(PiiField.Phone, "+1 213 373 \uFFFD253")]
    [InlineData(PiiField.ExternalId, "caf\uFFFD-42")]
    public void An_identifier_holding_the_replacement_character_is_never_hashed(PiiField field, string value)
    {
        var r = new PiiNormalizer("US").Normalize(field, value);
        Assert.Equal(PiiOutcome.Invalid, r.Outcome);
        Assert.Null(r.Value);
        Assert.Equal(PiiRules.TextMisdecoded, r.Rule);
        Assert.Contains("Import-Csv -Encoding windows-1252", r.Reason);
        Assert.DoesNotContain("example", r.Masked);
        Assert.DoesNotContain("caf", r.Masked);
    }
}
