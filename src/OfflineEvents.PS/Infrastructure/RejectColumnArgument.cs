using System;
using OfflineEvents.Core.Delivery;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>-RejectColumn of Send-OfflineEvent and Export-OfflineEventFile.</summary>
    internal static class RejectColumnArgument
    {
        public const string Read = "Read";
        public const string All = "All";

        public static RejectColumns Parse(string value) =>
            string.Equals(value, All, StringComparison.OrdinalIgnoreCase) ? RejectColumns.All : RejectColumns.Read;
    }
}
