using System;
using System.IO;
using System.Linq;
using OfflineEvents.Core.Delivery;
using OfflineEvents.Core.Files;
using OfflineEvents.Core.Pii;
using Xunit;

namespace OfflineEvents.Core.Tests;

public sealed class RejectFileWriterTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "oeps-rejects-" + Guid.NewGuid().ToString("N"));

    public RejectFileWriterTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static RejectedEvent Reject(string source, long row, string[] headers, string?[] fields) =>
        new RejectedEvent(source, row, row + 1, new[] { "EventTypeUnknown" }, "event_type", "no such event", new EventShape(headers), fields, null);

    private static string[][] ReadCsv(string path) =>
        File.ReadAllLines(path).Select(line => line.Split(',')).ToArray();

    [Fact]
    public void Rows_of_inputs_with_different_headers_keep_their_values_under_one_header_with_their_source()
    {
        string target = Path.Combine(_folder, "rejects.csv");
        var a = new[] { "event_type", "email", "order_id", "Notes" };
        var b = new[] { "Order Number", "Customer Name", "Event Name", "Email Address", "Phone" };
        using (var writer = new RejectFileWriter(target))
        {
            writer.Open();
            writer.Write(Reject("/in/a.csv", 1, a, new[] { "Purchse", "hash-a", "A-1", "call back" }));
            writer.Write(Reject("/in/b.csv", 7, b, new[] { "B-7", "Jane Doe", "Purchse", "hash-b", "masked-b" }));
            writer.Commit();
        }
        var rows = ReadCsv(target);
        Assert.Equal(new[] { "event_type", "email", "order_id", "phone", "source_file", "source_line", "source_row", "rule_id", "reason" }, rows[0]);
        Assert.Equal(new[] { "Purchse", "hash-a", "A-1", "", "/in/a.csv", "2", "1", "EventTypeUnknown", "no such event" }, rows[1]);
        Assert.Equal(new[] { "Purchse", "hash-b", "B-7", "masked-b", "/in/b.csv", "8", "7", "EventTypeUnknown", "no such event" }, rows[2]);
        Assert.DoesNotContain("Jane", File.ReadAllText(target));
        Assert.DoesNotContain("call back", File.ReadAllText(target));
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public void All_columns_keep_every_input_column_by_name_and_replace_an_earlier_runs_extra_columns()
    {
        string target = Path.Combine(_folder, "rejects.csv");
        var a = new[] { "event_type", "Notes", "reason" };
        var b = new[] { "Notes", "Event", "Notes" };
        using (var writer = new RejectFileWriter(target, RejectColumns.All))
        {
            writer.Open();
            writer.Write(Reject("/in/a.csv", 1, a, new[] { "x", "note a", "old reason" }));
            writer.Write(Reject("/in/b.csv", 2, b, new[] { "note b1", "y", "note b2" }));
            writer.Commit();
        }
        var rows = ReadCsv(target);
        Assert.Equal(new[] { "event_type", "Notes", "Event", "Notes", "source_file", "source_line", "source_row", "rule_id", "reason" }, rows[0]);
        Assert.Equal(new[] { "x", "note a", "", "", "/in/a.csv", "2", "1", "EventTypeUnknown", "no such event" }, rows[1]);
        Assert.Equal(new[] { "", "note b1", "y", "note b2", "/in/b.csv", "3", "2", "EventTypeUnknown", "no such event" }, rows[2]);
    }

    [Fact]
    public void A_writer_that_is_not_committed_leaves_an_older_file_as_it_was_and_no_temporary_file()
    {
        string target = Path.Combine(_folder, "rejects.csv");
        File.WriteAllText(target, "older run");
        using (var writer = new RejectFileWriter(target))
        {
            writer.Open();
            writer.Write(Reject("/in/a.csv", 1, new[] { "event_type" }, new[] { "x" }));
        }
        Assert.Equal("older run", File.ReadAllText(target));
        Assert.Equal(new[] { target }, Directory.GetFiles(_folder));
    }

    [Fact]
    public void Open_removes_temporary_files_of_ended_runs_and_leaves_those_a_live_run_holds()
    {
        string target = Path.Combine(_folder, "rejects.csv");
        string stale = target + ".tmp-0badc0de";
        string live = target + ".tmp-1234abcd";
        string notOurs = target + ".tmp-keep-me";
        File.WriteAllText(stale, "left by kill -9");
        File.WriteAllText(notOurs, "a user's file");
        using (var held = TempFiles.Create(live))
        using (var writer = new RejectFileWriter(target))
        {
            writer.Open();
            Assert.False(File.Exists(stale));
            Assert.True(File.Exists(live));
            writer.Commit();
        }
        Assert.True(File.Exists(notOurs));
        Assert.True(File.Exists(live));
        Assert.False(File.Exists(target)); // no rejects: no file
    }

    [Fact]
    public void A_folder_that_cannot_take_files_fails_at_Open_naming_the_reject_file()
    {
        string plain = Path.Combine(_folder, "plain.txt");
        File.WriteAllText(plain, "a file, not a folder");
        string target = Path.Combine(plain, "rejects.csv");
        using var writer = new RejectFileWriter(target);
        var ex = Assert.Throws<OutputWriteException>(() => writer.Open());
        Assert.Equal(target, ex.Path);
        Assert.Contains(target, ex.Message);
    }

    [Fact]
    public void Safe_fields_hold_only_the_columns_the_module_reads_unless_all_are_asked_for()
    {
        var shape = new EventShape(new[] { "First Name", "Email", "Billing Phone", "Phone", "Mobile", "order_id", "Notes" });
        var fields = new[] { "Wilhelmina", "w.q@example.com", "+1 212 555 7788", "+1 213 373 4253", "+1 213 373 9999", "C-1", "evening calls" };
        var pii = new PiiNormalizer("US");
        var read = shape.SafeFields(fields, pii);
        // Mobile beside Phone is read too (several columns feed an identifier); Billing Phone is no usual spelling.
        Assert.Equal(new[] { (1, "email"), (3, "phone"), (4, "phone"), (5, "order_id") }, shape.ReadColumns);
        Assert.Equal(new[] { null, Sha256Hex.Hash("w.q@example.com"), null, Sha256Hex.Hash("+12133734253"), Sha256Hex.Hash("+12133739999"), "C-1", null }, read);
        var all = shape.SafeFields(fields, pii, allColumns: true);
        Assert.Equal(new[] { "Wilhelmina", Sha256Hex.Hash("w.q@example.com"), "+1 212 555 7788", Sha256Hex.Hash("+12133734253"), Sha256Hex.Hash("+12133739999"), "C-1", "evening calls" }, all);
    }

    [Fact]
    public void Safe_fields_mask_a_phone_shifted_into_a_read_column_but_keep_a_long_numeric_order_id()
    {
        var shape = new EventShape(new[] { "event_type", "email", "timestamp", "order_id", "store_id", "product_id" });
        var fields = new[] { "Purchase", "", "2133734253", "5877381234567", "(213) 373-4253", "w.q@example.com" };
        var safe = shape.SafeFields(fields, new PiiNormalizer("US"));
        Assert.DoesNotContain("2133734253", safe[2]);
        Assert.Equal("5877381234567", safe[3]);
        Assert.DoesNotContain("373-4253", safe[4]);
        Assert.DoesNotContain("w.q@example.com", safe[5]);
        // A valid phone number of the region in an id column is masked all the same (a shifted row), and without a
        // region nothing tells an id from a national phone number: masked.
        fields[3] = "2133734126";
        Assert.DoesNotContain("2133734126", shape.SafeFields(fields, new PiiNormalizer("US"))[3]);
        fields[3] = "5877381234567";
        Assert.DoesNotContain("5877381234567", shape.SafeFields(fields, new PiiNormalizer())[3]);
    }
}
