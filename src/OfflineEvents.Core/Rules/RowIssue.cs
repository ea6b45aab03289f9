namespace OfflineEvents.Core.Rules
{
    /// <summary>One problem in one row. Messages never carry plaintext PII.</summary>
    public sealed class RowIssue
    {
        public RowIssue(string ruleId, Severity severity, string column, string message)
        {
            RuleId = ruleId;
            Severity = severity;
            Column = column;
            Message = message;
        }

        public string RuleId { get; }
        public Severity Severity { get; }
        public string Column { get; }
        public string Message { get; }

        public override string ToString() => $"{Severity} {RuleId} [{Column}]: {Message}";
    }
}
