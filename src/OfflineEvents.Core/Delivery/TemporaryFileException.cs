using System;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>
    /// A run's own temporary file could not be read back (a disk error, a file cut short under the run):
    /// the run cannot go on correctly, and it is no fault of the input. Not an IOException, so that a file reader's
    /// handler does not report it as that input's failure.
    /// </summary>
    public sealed class TemporaryFileException : Exception
    {
        public TemporaryFileException(string folder, string message, Exception inner) : base(message, inner)
        {
            Folder = folder;
        }

        /// <summary>The folder of the temporary files.</summary>
        public string Folder { get; }
    }
}
