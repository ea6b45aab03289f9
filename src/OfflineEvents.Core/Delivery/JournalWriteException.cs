using System;
using System.IO;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>The journal cannot be written (a full disk, a read-only file or folder, an I/O error): its own failure, not the API's.</summary>
    public sealed class JournalWriteException : IOException
    {
        public JournalWriteException(string path, string message, Exception? inner = null)
            : base($"The journal '{path}' cannot be written: {message}", inner)
        {
            Path = path;
        }

        public string Path { get; }
    }
}
