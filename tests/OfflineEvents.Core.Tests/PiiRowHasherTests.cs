using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using OfflineEvents.Core.Delivery;
using OfflineEvents.Core.Pii;
using OfflineEvents.Core.Rules;
using Xunit;

namespace OfflineEvents.Core.Tests;

/// <summary>ConvertTo-HashedPii's engine, driven without PowerShell: the column choice, the verdicts, the order.</summary>
public class PiiRowHasherTests
{
    private static string Sha(string s) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(s))).ToLowerInvariant();

    /// <summary>Feeds rows (header, values) and returns each row's cells as "row:column=hash-or-rule", in the order handed back.</summary>
    private static List<string> Hash(PiiRowHasher<int, string> hasher, string[] headers, IEnumerable<string?[]> rows)
    {
        var shape = hasher.Resolve(headers, 1);
        var output = new List<string>();
        void Drain()
        {
            while (hasher.TryTake(out var batch))
            {
                int cell = 0;
                for (int r = 0; r < batch.Rows.Count; r++)
                {
                    for (; cell < batch.CellsEnd(r); cell++)
                    {
                        var c = batch.Cells[cell];
                        output.Add($"{batch.Rows[r]}:{c.Target}=" + (c.Result.IsInvalid ? c.Result.Rule : c.Result.Value));
                    }
                }
            }
        }
        int n = 0;
        foreach (var row in rows)
        {
            n++;
            hasher.Add(n, n, null, shape.Columns.Select(c => (c, c.Name, row[c.Index])).ToList());
            Drain();
        }
        hasher.Flush();
        Drain();
        return output;
    }

    [Fact]
    public void Rows_come_back_in_input_order_across_batches_with_their_counts()
    {
        var hasher = new PiiRowHasher<int, string>(new PiiNormalizer("US"), new PiiColumnChoice());
        var rows = Enumerable.Range(1, 100).Select(i => new string?[] { $"n{i}", i % 10 == 0 ? "broken" : $"u{i}@x.com" });
        var output = Hash(hasher, new[] { "id", "Email Address" }, rows);
        Assert.Equal(100, output.Count);
        Assert.Equal(Enumerable.Range(1, 100).Select(i => $"{i}:Email Address=" + (i % 10 == 0 ? "EmailInvalid" : Sha($"u{i}@x.com"))), output);
        var stats = hasher.Summary.Fields.Single();
        Assert.Equal((90, 10), (stats.Hashed, stats.Invalid));
    }

    [Fact]
    public void Chooses_the_columns_Send_reads_under_the_map_and_hashes_the_column_the_map_overrides()
    {
        var mapping = new ColumnMapping(new[] { new KeyValuePair<string, IReadOnlyList<string>>("email", new[] { "Contact" }) });
        var hasher = new PiiRowHasher<int, string>(new PiiNormalizer("US"), new PiiColumnChoice { Mapping = mapping });
        var shape = hasher.Resolve(new[] { "Name", "Contact", "Email", "Phone Number", "Notes" }, 1);
        Assert.Equal(new[] { "Contact:Email", "Email:Email", "Phone Number:Phone" }, shape.Columns.Select(c => $"{c.Name}:{c.Field}"));
    }

    [Fact]
    public void Columns_named_outright_replace_detection_and_a_missing_one_is_refused()
    {
        var hasher = new PiiRowHasher<int, string>(new PiiNormalizer(), new PiiColumnChoice { EmailColumns = new[] { "mail " } });
        Assert.Equal(new[] { "Mail" }, hasher.Resolve(new[] { "email", "Mail" }, 1).Columns.Select(c => c.Name));
        var ex = Assert.Throws<PiiColumnNotFoundException>(() => hasher.Resolve(new[] { "a", "b" }, 7));
        Assert.Equal("mail ", ex.Wanted);
        Assert.Contains("row 7", ex.Message);
    }

    [Theory]
    [InlineData("email", 321, "FieldTooLong")]
    [InlineData("phone", 65, "FieldTooLong")]
    [InlineData("external_id", 257, "FieldTooLong")]
    [InlineData("external_id", 256, null)]
    public void A_value_over_its_column_limit_gets_the_rule_Send_and_Test_give_it(string column, int length, string? rule)
    {
        string value = column == "email" ? new string('a', length - 6) + "@x.com" : column == "phone" ? "+1" + new string('2', length - 2) : new string('k', length);
        var hasher = new PiiRowHasher<int, string>(new PiiNormalizer("US"), new PiiColumnChoice());
        string cell = Hash(hasher, new[] { column }, new[] { new string?[] { value } }).Single();
        if (rule != null) Assert.Equal($"1:{column}={rule}", cell);
        else Assert.Equal($"1:{column}={Sha(value)}", cell);
        var validator = new EventRowValidator(new ColumnMap(new[] { "event_type", "timestamp", column }, ColumnMatching.Aliases), new RowRuleOptions(new PiiNormalizer("US")));
        var issues = new List<RowIssue>();
        validator.Validate(new[] { "Purchase", DateTimeOffset.UtcNow.AddHours(-1).ToString("o"), value }, issues);
        Assert.Equal(rule != null, issues.Any(i => i.RuleId == RuleIds.FieldTooLong && i.Severity == Severity.Error));
    }

    [Fact]
    public void Hands_back_each_value_it_was_given_and_never_its_text()
    {
        var hasher = new PiiRowHasher<int, string>(new PiiNormalizer(), new PiiColumnChoice());
        var shape = hasher.Resolve(new[] { "email" }, 1);
        hasher.Add(1, 1, null, new[] { (shape.Columns[0], "a", (string?)"A@x.com"), (shape.Columns[0], "b", (string?)"b@y.com") });
        hasher.Flush();
        Assert.True(hasher.TryTake(out var batch));
        Assert.Equal(new[] { Sha("a@x.com"), Sha("b@y.com") }, batch.Cells.Select(c => c.Result.Value));
        Assert.Equal(2, batch.CellsEnd(0));
        Assert.DoesNotContain(typeof(HashedCell<string>).GetProperties(), p => p.GetMethod!.IsPublic && p.Name == "Text");
    }
}
