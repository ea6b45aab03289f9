namespace OfflineEvents.Core.Rules
{
    /// <summary>How bad an issue is: errors stop a row from being sent; warnings do not.</summary>
    public enum Severity
    {
        Warning,
        Error,
    }
}
