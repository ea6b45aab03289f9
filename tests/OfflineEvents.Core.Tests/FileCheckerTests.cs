using System;
using System.IO;
using System.Linq;
using System.Text;
using OfflineEvents.Core.Files;
using OfflineEvents.Core.Pii;
using OfflineEvents.Core.Rules;
using Xunit;

namespace OfflineEvents.Core.Tests;

public class Utf8ScanningStreamTests
{
    private static Utf8ScanningStream Scan(byte[] bytes)
    {
        var s = new Utf8ScanningStream(new MemoryStream(bytes), keep: 10);
        var buffer = new byte[3]; // small reads: sequences split across reads must still validate
        while (s.Read(buffer, 0, buffer.Length) > 0) { }
        return s;
    }

    [Theory]
    [InlineData("plain ascii\n")]
    [InlineData("café, 中文, emoji 😀, ü\r\n")]
    [InlineData("\uFEFFwith a BOM\n")]
    public void Valid_utf8_has_no_findings(string text)
    {
        var s = Scan(Encoding.UTF8.GetBytes(text));
        Assert.Equal(0, s.InvalidUtf8Count);
        Assert.Equal(0, s.ControlCharacterCount);
    }

    [Theory]
    [InlineData(new byte[] { 0x61, 0xC0, 0x80 })]             // overlong NUL
    [InlineData(new byte[] { 0xE0, 0x80, 0x80 })]             // overlong
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]             // surrogate half
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })]       // past U+10FFFF
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0x80 })]                          // lone continuation
    [InlineData(new byte[] { 0x61, 0xE2, 0x82 })]             // cut off at the end
    public void Invalid_sequences_are_found(byte[] bytes) => Assert.True(Scan(bytes).InvalidUtf8Count >= 1);

    [Fact]
    public void Positions_count_lines_across_CR_LF_and_CRLF()
    {
        var bytes = Encoding.ASCII.GetBytes("a\r\nb\nc\rdd").Concat(new byte[] { 0xE9, 0x00 }).ToArray();
        var s = Scan(bytes);
        Assert.Equal(4, s.InvalidUtf8.Single().Line);
        Assert.Equal(3, s.InvalidUtf8.Single().Column);
        Assert.Equal(0xE9, s.InvalidUtf8.Single().Value);
        Assert.Equal(4, s.ControlCharacters.Single().Line);
        Assert.Equal(4, s.ControlCharacters.Single().Column);
    }

    [Fact]
    public void Only_the_first_findings_are_kept_but_all_are_counted()
    {
        var s = Scan(Enumerable.Repeat((byte)0xFF, 1000).ToArray());
        Assert.Equal(10, s.InvalidUtf8.Count);
        Assert.Equal(1000, s.InvalidUtf8Count);
    }
}

public class OfflineEventFileCheckerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("oeps-").FullName;
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private const string Header = "event_type,email,phone,timestamp,price,currency,order_id";
    private const string Good = "Purchase,jo@example.com,+12133734253,2026-11-20T10:00:00Z,9.99,USD,A-1";

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static FileCheckResult Check(string path, int keep = 100, int maxOrders = 1_400_000) =>
        new OfflineEventFileChecker(new FileCheckOptions(new RowRuleOptions(new PiiNormalizer("US"), null, Now)) { MaxIssuesPerRule = keep, MaxDuplicateKeys = maxOrders }).Check(path);

    [Fact]
    public void A_good_file_with_a_utf8_bom_is_valid()
    {
        var r = Check(Write("good.csv", Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes($"{Header}\r\n{Good}\r\n")).ToArray()));
        Assert.True(r.IsValid, string.Join("\n", r.Issues));
        Assert.Equal(1, r.Rows);
    }

    [Fact]
    public void Utf32_is_named()
    {
        var r = Check(Write("u32.csv", new UTF32Encoding(false, true).GetPreamble().Concat(new UTF32Encoding(false, true).GetBytes(Header)).ToArray()));
        Assert.Contains("UTF-32 LE", Assert.Single(r.Issues).Message);
    }

    [Fact]
    public void A_missing_file_throws_FileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => Check(Path.Combine(_folder, "none.csv")));

    [Fact]
    public void Issues_are_in_file_order_with_lines_and_rows()
    {
        string text = $"{Header}\n{Good}\n\"multi\nline\",x,,2026-11-20T10:00:00Z,,,B\n{Good.Replace("9.99", "9¢")}\n";
        var r = Check(Write("order.csv", Encoding.UTF8.GetBytes(text)));
        var price = r.Issues.Single(i => i.Rule == RuleIds.PriceInvalid);
        Assert.Equal(5, price.Line); // the quoted line break makes row 3 start on line 5
        Assert.Equal(3, price.Row);
        Assert.Equal(r.Issues.OrderBy(i => i.Line).Select(i => i.Line), r.Issues.Select(i => i.Line));
    }

    [Fact]
    public void Counts_stay_exact_beyond_the_kept_issues()
    {
        string text = Header + "\n" + string.Join("\n", Enumerable.Range(0, 500).Select(i => Good.Replace("Purchase", "Nope").Replace("A-1", "A" + i))) + "\n";
        var r = Check(Write("many.csv", Encoding.UTF8.GetBytes(text)), keep: 3);
        Assert.Equal(500, r.RuleCounts[RuleIds.EventTypeUnknown]);
        Assert.Equal(3, r.Issues.Count);
        Assert.Equal(500, r.Errors);
        Assert.True(r.IssuesTruncated);
    }

    [Fact]
    public void Duplicates_name_the_first_row_and_stop_being_tracked_past_the_order_limit()
    {
        // Orders A0..A9 then each again: with room for 6 orders only A0..A5 are remembered, so only their
        // repeats are reported, each naming its first row, and one warning says the check stopped.
        var rows = Enumerable.Range(0, 10).Concat(Enumerable.Range(0, 10)).Select(i => Good.Replace("A-1", "A" + i));
        var r = Check(Write("dups.csv", Encoding.UTF8.GetBytes(Header + "\n" + string.Join("\n", rows) + "\n")), maxOrders: 6);
        var repeats = r.Issues.Where(i => i.Rule == FileRuleIds.DuplicateEvent && i.Row > 0).ToList();
        Assert.Equal(Enumerable.Range(11, 6).Select(x => (long)x), repeats.Select(i => i.Row));
        Assert.Contains("repeats row 1 ", repeats[0].Message);
        Assert.Contains("repeats row 6 ", repeats[5].Message);
        Assert.Contains("more than 6 distinct orders", r.Issues.Single(i => i.Rule == FileRuleIds.DuplicateEvent && i.Row == 0).Message);
    }
}

public class FirstRowTableTests
{
    [Fact]
    public void Remembers_the_first_row_of_every_key_through_growth_including_key_zero()
    {
        var table = new FirstRowTable(100_000);
        var random = new Random(7);
        var keys = Enumerable.Range(0, 50_000).Select(_ => ((ulong)random.NextInt64() << 1) | (uint)random.Next(2)).Append(0UL).Distinct().ToList();
        for (int i = 0; i < keys.Count; i++) Assert.Equal(FirstRowTable.Remembered.Added, table.TryRemember(keys[i], i + 1, out _));
        for (int i = 0; i < keys.Count; i++)
        {
            Assert.Equal(FirstRowTable.Remembered.Found, table.TryRemember(keys[i], 999_999, out long first));
            Assert.Equal(i + 1, first);
        }
        Assert.Equal(keys.Count, table.Count);
        Assert.True(table.Bytes <= 131_072 * 12, $"{table.Bytes} bytes for {keys.Count} keys"); // at most 70% full, a power of two
    }

    [Fact]
    public void A_full_table_refuses_new_keys_but_still_finds_old_ones()
    {
        var table = new FirstRowTable(3);
        foreach (ulong k in new ulong[] { 10, 20, 30 }) table.TryRemember(k, (long)k, out _);
        Assert.Equal(FirstRowTable.Remembered.Full, table.TryRemember(40, 4, out _));
        Assert.Equal(FirstRowTable.Remembered.Full, table.TryRemember(0, 5, out _));
        Assert.Equal(FirstRowTable.Remembered.Found, table.TryRemember(20, 6, out long first));
        Assert.Equal(20, first);
        Assert.Equal(3, table.Count);
    }
}
