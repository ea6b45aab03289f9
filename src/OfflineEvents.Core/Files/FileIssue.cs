using OfflineEvents.Core.Rules;

namespace OfflineEvents.Core.Files
{
    /// <summary>One problem, placed as precisely as it can be: file line and data row (0 when not about a row), column.</summary>
    public sealed class FileIssue
    {
        public FileIssue(string path, long line, long row, string column, string rule, Severity severity, string message)
        {
            Path = path;
            Line = line;
            Row = row;
            Column = column;
            Rule = rule;
            Severity = severity;
            Message = message;
        }

        public string Path { get; }

        /// <summary>1-based line of the file where the record starts (0: the file as a whole).</summary>
        public long Line { get; }

        /// <summary>1-based data row, the header not counted (0: not about a row).</summary>
        public long Row { get; }

        public string Column { get; }
        public string Rule { get; }
        public Severity Severity { get; }
        public string Message { get; }

        public override string ToString() => Line > 0 ? $"line {Line}: {Severity} {Rule}: {Message}" : $"{Severity} {Rule}: {Message}";
    }
}
