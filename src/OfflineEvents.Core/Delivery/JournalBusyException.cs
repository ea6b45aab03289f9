using System;
using System.IO;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>Another run holds the journal and did not let go within the wait.</summary>
    public sealed class JournalBusyException : IOException
    {
        public JournalBusyException(string path, TimeSpan waited)
            : base($"The journal '{path}' is in use by another run (Send-OfflineEvent on this or another machine, or another process); waited {waited.TotalSeconds:0.#} s. "
                + "Run again when it has finished, or give -JournalWaitSec more time.")
        {
            Path = path;
        }

        public string Path { get; }
    }
}
