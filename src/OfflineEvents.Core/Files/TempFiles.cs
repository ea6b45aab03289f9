using System;
using System.IO;
using System.Text.RegularExpressions;

namespace OfflineEvents.Core.Files
{
    /// <summary>
    /// The temporary files written beside an output (target.tmp-1a2b3c4d) and moved into place at the end. A run
    /// killed with kill -9 or SIGTERM cannot remove its own, so each run removes those of earlier runs first.
    /// </summary>
    internal static class TempFiles
    {
        public static string NewName(string target) => target + ".tmp-" + Guid.NewGuid().ToString("N").Substring(0, 8);

        /// <summary>Opens a new temporary file for writing, locked (FileShare.None) so that other runs leave it alone.</summary>
        public static FileStream Create(string temp, int bufferSize = 4096) =>
            new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize);

        /// <summary>
        /// Removes the target's temporary files that no running process holds. A live run keeps its own open with
        /// FileShare.None (a lock on Unix too), so opening one succeeds only when its run has ended.
        /// </summary>
        public static void RemoveStale(string target)
        {
            string? directory = Path.GetDirectoryName(target);
            if (string.IsNullOrEmpty(directory) || !Directory.Exists(directory)) return;
            var ours = new Regex("^" + Regex.Escape(Path.GetFileName(target)) + @"\.tmp-[0-9a-f]{8}$");
            string[] files;
            try
            {
                files = Directory.GetFiles(directory, Path.GetFileName(target) + ".tmp-*");
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return; // the run's own first write reports what is wrong with the folder
            }
            foreach (string file in files)
            {
                if (!ours.IsMatch(Path.GetFileName(file))) continue;
                try
                {
                    using (new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    // Held by a run that is still going (or not ours to remove): leave it.
                }
            }
        }

        /// <summary>Closes a stream without letting a failed final flush (a full disk) stop the cleanup that follows.</summary>
        public static void CloseQuietly(IDisposable? stream)
        {
            try
            {
                stream?.Dispose();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ObjectDisposedException)
            {
                // The data is being thrown away; only the handle matters.
            }
        }

        public static void DeleteQuietly(string? path)
        {
            if (path == null) return;
            try
            {
                if (File.Exists(path)) File.Delete(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                // Left for the next run's RemoveStale.
            }
        }
    }
}
