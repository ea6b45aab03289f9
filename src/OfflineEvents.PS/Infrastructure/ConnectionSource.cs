using System;
using OfflineEvents.Core.Api;
using OfflineEvents.PS.Output;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>
    /// The connection made by Connect-OfflineEventApi, and the environment variables a scheduled task can
    /// use instead. Process-wide, so ForEach-Object -Parallel and thread jobs see it too.
    /// </summary>
    internal static class ConnectionSource
    {
        public const string TokenVariable = "OFFLINEEVENTS_ACCESS_TOKEN";
        public const string AdvertiserVariable = "OFFLINEEVENTS_ADVERTISER_ID";
        public const string BaseUriVariable = "OFFLINEEVENTS_API_URI";

        // One reference, so a reader never pairs one connection with another's description.
        private static volatile Tuple<ApiConnection, OfflineEventConnection?>? s_current;

        public static ApiConnection? Current
        {
            get => s_current?.Item1;
            set => s_current = value == null ? null : Tuple.Create(value, (OfflineEventConnection?)null);
        }

        /// <summary>What Get-OfflineEventConnection shows for the current connection (no token).</summary>
        public static OfflineEventConnection? Described => s_current?.Item2;

        public static void Set(ApiConnection connection, OfflineEventConnection described) =>
            s_current = Tuple.Create(connection, (OfflineEventConnection?)described);

        public static string? FromEnvironment(string name)
        {
            string? value = Environment.GetEnvironmentVariable(name);
            return string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
        }
    }
}
