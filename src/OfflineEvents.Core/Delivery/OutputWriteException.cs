using System;
using System.IO;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>An output file (a manual-upload part, a reject file) could not be written; names the file and the reason.</summary>
    public sealed class OutputWriteException : IOException
    {
        public OutputWriteException(string path, Exception inner)
            : base($"Cannot write '{path}': {inner.Message}", inner)
        {
            Path = path;
        }

        /// <summary>The file that was being written (the target, not its temporary file).</summary>
        public string Path { get; }
    }
}
