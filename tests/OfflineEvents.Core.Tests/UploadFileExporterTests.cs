using System;
using System.IO;
using System.Linq;
using System.Text;
using OfflineEvents.Core.Delivery;
using OfflineEvents.Core.Files;
using OfflineEvents.Core.Pii;
using OfflineEvents.Core.Rules;
using Xunit;

namespace OfflineEvents.Core.Tests;

public sealed class UploadFileExporterTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "oeps-export-" + Guid.NewGuid().ToString("N"));

    public UploadFileExporterTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private UploadExportResult Export(int rows, long maxFileSize, bool dryRun = false)
    {
        var options = new UploadExportOptions(Path.Combine(_folder, "upload.csv"), new RowRuleOptions(new PiiNormalizer("US"))) { MaxFileSize = maxFileSize, DryRun = dryRun };
        using var exporter = new UploadFileExporter(options, new RecordingHost());
        var shape = new EventShape(Rows.Header);
        // Order ids of growing length give lines of different sizes, so a part's last line rarely fits exactly.
        for (int i = 0; i < rows; i++) exporter.Add(shape, i + 1, i + 2, Rows.Row(i).Select((v, c) => c == 6 ? "ORD-" + new string('x', i % 37) + i : v).ToArray(), "rows");
        return exporter.Complete();
    }

    [Fact]
    public void Parts_are_filled_up_to_the_limit_and_never_past_it()
    {
        var result = Export(600, 4096);
        Assert.Equal(600, result.Written);
        Assert.True(result.Files.Count > 5, $"{result.Files.Count} parts");
        var header = Encoding.UTF8.GetString(UploadLineBuffer.Header);
        long dataRows = 0;
        for (int p = 0; p < result.Files.Count; p++)
        {
            byte[] bytes = File.ReadAllBytes(result.Files[p]);
            Assert.True(bytes.Length <= 4096, $"part {p + 1} has {bytes.Length} bytes");
            string text = Encoding.UTF8.GetString(bytes);
            Assert.StartsWith(header, text);
            dataRows += text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length - 1;
            if (p + 1 < result.Files.Count)
            {
                // The next part's first line did not fit: sizes are exact, not a cautious estimate.
                string next = File.ReadAllText(result.Files[p + 1]);
                int firstLine = Encoding.UTF8.GetByteCount(next.Split("\r\n")[1]) + 2;
                Assert.True(bytes.Length + firstLine > 4096, $"part {p + 1} ({bytes.Length} bytes) had room for the next line ({firstLine} bytes)");
            }
        }
        Assert.Equal(600, dataRows);
        Assert.Equal(result.Files.Select(f => Path.GetFileName(f)), Enumerable.Range(1, result.Files.Count).Select(n => $"upload-part{n:000}.csv"));
    }

    [Fact]
    public void A_dry_run_names_the_parts_a_real_run_writes_and_writes_none()
    {
        var planned = Export(600, 4096, dryRun: true);
        Assert.Empty(Directory.GetFiles(_folder));
        var written = Export(600, 4096);
        Assert.Equal(written.Files, planned.Files);
    }

    [Fact]
    public void Rows_keep_their_order_across_chunks_and_parts()
    {
        var result = Export(3000, 64 * 1024);
        var orderIds = result.Files.SelectMany(f => File.ReadAllLines(f).Skip(1)).Select(l => l.Split(',')[7]).ToList();
        Assert.Equal(Enumerable.Range(0, 3000).Select(i => "ORD-" + new string('x', i % 37) + i), orderIds);
    }
}
