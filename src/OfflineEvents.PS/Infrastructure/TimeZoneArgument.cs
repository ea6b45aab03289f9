using System;
using System.Management.Automation;
using OfflineEvents.Core.Rules;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>-TimeZone, shared by the cmdlets that read offset-less timestamps.</summary>
    internal static class TimeZoneArgument
    {
        /// <summary>The zone, or null when none was given; a terminating InvalidArgument error when it is unknown.</summary>
        public static TimeZoneInfo? Resolve(Cmdlet cmdlet, string? name)
        {
            if (name == null) return null;
            // IANA, Windows and Rails names on every platform (TimeZoneConverter), IANA ones on Windows PowerShell 5.1 too.
            if (TimeZoneNames.TryFind(name, out TimeZoneInfo zone)) return zone;
            cmdlet.ThrowTerminatingError(new ErrorRecord(
                new ArgumentException($"-TimeZone '{name}' is not a time zone name: use {TimeZoneNames.Examples}."),
                ErrorIds.UnknownTimeZone, ErrorCategory.InvalidArgument, name));
            return null; // not reached
        }
    }
}
