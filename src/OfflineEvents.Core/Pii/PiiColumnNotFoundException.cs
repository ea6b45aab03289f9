using System.Collections.Generic;

namespace OfflineEvents.Core.Pii
{
    /// <summary>A column named outright for PII (or for the region) is not in the row's header.</summary>
    public sealed class PiiColumnNotFoundException : KeyNotFoundException
    {
        internal PiiColumnNotFoundException(string message, string wanted) : base(message) => Wanted = wanted;

        /// <summary>The name that was given.</summary>
        public string Wanted { get; }
    }
}
