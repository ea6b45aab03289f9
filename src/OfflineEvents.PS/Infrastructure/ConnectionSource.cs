using System;
using OfflineEvents.Core.Api;

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

        private static volatile ApiConnection? s_current;

        public static ApiConnection? Current
        {
            get => s_current;
            set => s_current = value;
        }

        public static string? FromEnvironment(string name)
        {
            string? value = Environment.GetEnvironmentVariable(name);
            return string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
        }
    }
}
