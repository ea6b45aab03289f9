using System;
using System.Management.Automation;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>-TimeZone, shared by the cmdlets that read offset-less timestamps.</summary>
    internal static class TimeZoneArgument
    {
        /// <summary>The zone, or null when none was given; a terminating InvalidArgument error when it is unknown.</summary>
        public static TimeZoneInfo? Resolve(Cmdlet cmdlet, string? name)
        {
            if (name == null) return null;
            try
            {
                return TimeZoneInfo.FindSystemTimeZoneById(name);
            }
            catch (Exception ex) when (ex is TimeZoneNotFoundException || ex is InvalidTimeZoneException)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(
                    new ArgumentException($"'{name}' is not a time zone this system knows. Use an IANA name such as America/New_York or Europe/London (on Windows PowerShell 5.1, a Windows id such as 'Eastern Standard Time').", ex),
                    ErrorIds.UnknownTimeZone, ErrorCategory.InvalidArgument, name));
                throw; // not reached
            }
        }
    }
}
