namespace OfflineEvents.Core.Diagnostics
{
    /// <summary>Discards everything.</summary>
    public sealed class NullOperationLog : IOperationLog
    {
        public static readonly NullOperationLog Instance = new NullOperationLog();
        public void Verbose(string message) { }
        public void Debug(string message) { }
        public void Warning(string message) { }
    }
}
