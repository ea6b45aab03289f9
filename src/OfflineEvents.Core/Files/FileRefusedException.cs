using System;

namespace OfflineEvents.Core.Files
{
    /// <summary>
    /// A file that Send-OfflineEvent or Export-OfflineEventFile refuses before anything from it is sent or hashed.
    /// <see cref="Rule"/> is the <see cref="FileRuleIds"/> id Test-OfflineEventFile gives the same file.
    /// </summary>
    public sealed class FileRefusedException : Exception
    {
        public FileRefusedException(string path, string rule, long line, string message)
            : base($"'{path}': {message}")
        {
            Path = path;
            Rule = rule;
            Line = line;
        }

        public string Path { get; }

        /// <summary>The rule id, as in Test-OfflineEventFile's issues (FileEncoding, FileDelimiter).</summary>
        public string Rule { get; }

        /// <summary>The 1-based line the problem is on (0: the file as a whole).</summary>
        public long Line { get; }
    }
}
