using OfflineEvents.Core.Delivery;
using OfflineEvents.Core.Rules;

namespace OfflineEvents.Core.Files
{
    /// <summary>
    /// Where <see cref="EventFileReader"/> reports what it finds about a file rather than a row (encoding, delimiter,
    /// header, quoting): a check (Test-OfflineEventFile) takes each as an issue, to the line, and reading goes on where it
    /// can. A reader given none refuses such a file whole (Send, Export), before anything from it is sent or hashed.
    /// </summary>
    public interface IFileFindings
    {
        /// <summary>Findings of one rule placed one by one; those beyond are only counted (a bad 1 GB file).</summary>
        int KeepPerRule { get; }

        /// <summary>A problem of the file (line 0: the file as a whole).</summary>
        void Found(long line, string column, string rule, Severity severity, string message);

        /// <summary>Findings of a rule beyond those placed.</summary>
        void FoundMore(string rule, long count, Severity severity);

        /// <summary>The header was read (on <paramref name="line"/>): its columns are checked before the first row comes.</summary>
        void Header(EventShape shape, long line);
    }
}
