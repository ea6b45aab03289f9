using System;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using OfflineEvents.Core.Rules;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>-TimestampFormat and -Culture, shared by the cmdlets that read timestamps.</summary>
    internal static class TimestampArgument
    {
        /// <summary>
        /// The formats to try after ISO-8601, or null when neither parameter was given. -Culture alone tries that
        /// culture's own short and long date-and-time patterns ('g', 'G': M/d/yyyy h:mm tt for en-US). A terminating
        /// InvalidArgument error for an unknown culture or a format .NET cannot read.
        /// </summary>
        public static TimestampFormats? Create(Cmdlet cmdlet, string[]? formats, string? culture)
        {
            if (formats == null && culture == null) return null;
            CultureInfo info = CultureInfo.InvariantCulture;
            if (culture != null)
            {
                // GetCultureInfo makes up a culture for any well-formed name on ICU systems: only known ones count.
                var known = CultureInfo.GetCultures(CultureTypes.AllCultures).FirstOrDefault(c => c.Name.Length > 0 && string.Equals(c.Name, culture.Trim(), StringComparison.OrdinalIgnoreCase));
                if (known == null)
                {
                    cmdlet.ThrowTerminatingError(new ErrorRecord(
                        new ArgumentException($"-Culture '{culture}' is not a culture this system knows: give a name such as en-US, en-GB or de-DE."),
                        ErrorIds.UnknownCulture, ErrorCategory.InvalidArgument, culture));
                }
                info = CultureInfo.GetCultureInfo(known!.Name);
            }
            try
            {
                return new TimestampFormats(formats ?? new[] { "g", "G" }, info);
            }
            catch (ArgumentException ex)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(new ArgumentException("-TimestampFormat " + ex.Message.Split(new[] { " (Parameter" }, StringSplitOptions.None)[0], ex),
                    ErrorIds.InvalidTimestampFormat, ErrorCategory.InvalidArgument, formats));
                throw; // not reached
            }
        }
    }
}
