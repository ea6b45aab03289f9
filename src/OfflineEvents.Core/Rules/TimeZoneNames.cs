using System;
using System.Collections.Concurrent;
using TimeZoneConverter;

namespace OfflineEvents.Core.Rules
{
    /// <summary>
    /// Time zones by any of the names exports and people use: IANA (America/Chicago), Windows (Central Standard
    /// Time) and Rails (Central Time (US &amp; Canada), as Square writes them), on every platform: TimeZoneConverter
    /// maps between them, so IANA names also work on Windows PowerShell 5.1, whose system knows only Windows ids.
    /// </summary>
    public static class TimeZoneNames
    {
        // A file repeats a handful of names on every row: each is looked up once per process.
        private static readonly ConcurrentDictionary<string, TimeZoneInfo?> Found = new ConcurrentDictionary<string, TimeZoneInfo?>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The zone a name means, or false when no naming system knows it.</summary>
        public static bool TryFind(string? name, out TimeZoneInfo zone)
        {
            zone = null!;
            string key = (name ?? string.Empty).Trim();
            if (key.Length == 0) return false;
            var found = Found.GetOrAdd(key, Lookup);
            if (found == null) return false;
            zone = found;
            return true;
        }

        private static TimeZoneInfo? Lookup(string name)
        {
            if (TZConvert.TryGetTimeZoneInfo(name, out TimeZoneInfo? zone)) return zone;
            if (TZConvert.TryRailsToIana(name, out string? iana) && TZConvert.TryGetTimeZoneInfo(iana!, out zone)) return zone;
            // Rails names are matched exactly; exports differ in case ('central time (us & canada)').
            foreach (string rails in RailsNames.Value)
            {
                if (string.Equals(rails, name, StringComparison.OrdinalIgnoreCase) && TZConvert.TryRailsToIana(rails, out iana) && TZConvert.TryGetTimeZoneInfo(iana!, out zone)) return zone;
            }
            return null;
        }

        private static readonly Lazy<string[]> RailsNames = new Lazy<string[]>(() => System.Linq.Enumerable.ToArray(TZConvert.KnownRailsTimeZoneNames));

        /// <summary>What an unknown name's message says a name looks like.</summary>
        public const string Examples = "an IANA name such as America/New_York, a Windows id such as 'Eastern Standard Time', or a Rails name such as 'Central Time (US & Canada)'";
    }
}
