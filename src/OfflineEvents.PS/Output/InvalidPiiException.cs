namespace OfflineEvents.PS.Output
{
    /// <summary>A value that could not be normalized; the message is masked.</summary>
    public sealed class InvalidPiiException : System.FormatException
    {
        internal InvalidPiiException(string message) : base(message)
        {
        }
    }
}
