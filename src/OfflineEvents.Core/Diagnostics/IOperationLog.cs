namespace OfflineEvents.Core.Diagnostics
{
    /// <summary>
    /// Where the core reports what it does. The PowerShell layer maps these to the Verbose, Debug and
    /// Warning streams on the pipeline thread. Messages never carry tokens or plaintext PII.
    /// </summary>
    public interface IOperationLog
    {
        void Verbose(string message);
        void Debug(string message);
        void Warning(string message);
    }
}
