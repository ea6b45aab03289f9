using System;
using System.Management.Automation;
using OfflineEvents.Core.Pii;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>-DefaultRegion, shared by the cmdlets that read phone numbers.</summary>
    internal static class RegionArgument
    {
        /// <summary>The normalizer for the region; a terminating InvalidArgument error when the region is unknown.</summary>
        public static PiiNormalizer CreateNormalizer(Cmdlet cmdlet, string? defaultRegion)
        {
            try
            {
                return new PiiNormalizer(defaultRegion);
            }
            catch (ArgumentException ex)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.UnknownRegion, ErrorCategory.InvalidArgument, defaultRegion));
                throw; // not reached: ThrowTerminatingError always throws
            }
        }
    }
}
