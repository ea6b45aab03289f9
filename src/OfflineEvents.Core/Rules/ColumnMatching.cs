using System.Collections.Generic;
using System.Linq;

namespace OfflineEvents.Core.Rules
{
    /// <summary>How header names are matched to the standard columns.</summary>
    public enum ColumnMatching
    {
        /// <summary>TikTok's names, ignoring case and surrounding spaces: what the manual upload accepts.</summary>
        Exact,
        /// <summary>Also the usual spellings (<see cref="ColumnAliases"/>), and external_id and event_id.</summary>
        Aliases,
    }
}
