using System;
using System.IO;
using System.Threading;
using OfflineEvents.Core.Rules;

namespace OfflineEvents.Core.Files
{
    /// <summary>
    /// Checks a manual-upload CSV against TikTok's rules and ours: the file itself (extension, size), then the one
    /// reader every file route uses (<see cref="EventFileReader"/>) into the checking sink (<see cref="RowChecker"/>),
    /// which takes the reader's findings as issues. Never throws for bad content; only for a path that does not exist.
    /// </summary>
    public sealed class OfflineEventFileChecker
    {
        private readonly FileCheckOptions _options;

        public OfflineEventFileChecker(FileCheckOptions? options = null) => _options = options ?? new FileCheckOptions();

        /// <param name="path">The file to check.</param>
        /// <param name="progress">Receives the bytes read so far, now and then.</param>
        /// <param name="cancellationToken">Stops the read between records (OperationCanceledException).</param>
        /// <param name="describe">Receives, once, which column feeds which field (for Verbose).</param>
        /// <exception cref="ColumnMapException">The -ColumnMap names a column the file does not have.</exception>
        public FileCheckResult Check(string path, Action<long>? progress = null, CancellationToken cancellationToken = default, Action<string>? describe = null)
        {
            var check = new RowChecker(path, _options, cancellationToken) { Progress = progress, ReadsFile = true };
            if (Directory.Exists(path))
            {
                check.Found(0, string.Empty, FileRuleIds.FileNotFile, Severity.Error, "is a directory, not a file");
                return check.Result();
            }
            var info = new FileInfo(path);
            if (!info.Exists) throw new FileNotFoundException($"No file at '{path}'.", path);
            if (!string.Equals(info.Extension, ".csv", StringComparison.OrdinalIgnoreCase))
            {
                check.Found(0, string.Empty, FileRuleIds.FileExtension, Severity.Error, $"has the extension '{info.Extension}'; TikTok's upload takes .csv files only");
            }
            if (info.Length == 0)
            {
                check.Found(0, string.Empty, FileRuleIds.FileEmpty, Severity.Error, "is empty (0 bytes)");
                return check.Result();
            }
            if (info.Length > _options.MaxFileSize)
            {
                check.Found(0, string.Empty, FileRuleIds.FileTooLarge, Severity.Error,
                    $"is {info.Length:N0} bytes, over the {_options.MaxFileSize:N0}-byte limit; split it (Export-OfflineEventFile -MaxFileSize)");
            }
            else if (info.Length > _options.WarnFileSize)
            {
                check.Found(0, string.Empty, FileRuleIds.FileLarge, Severity.Warning,
                    $"is {info.Length:N0} bytes, over the {_options.WarnFileSize:N0} bytes (10 MB) TikTok's upload steps allow; split it (Export-OfflineEventFile writes parts of at most 10 MB)");
            }
            try
            {
                EventFileReader.Feed(path, check, 0, info.Length, _options.MaxRecordBytes, _options.Format, describe, findings: check);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                check.Found(0, string.Empty, FileRuleIds.FileUnreadable, Severity.Error, "cannot be read: " + ex.Message);
            }
            var result = check.Result(info.Length);
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Invoke(info.Length);
            return result;
        }
    }
}
