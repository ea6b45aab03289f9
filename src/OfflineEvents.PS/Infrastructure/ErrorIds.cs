namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>Stable ErrorRecord ids: scripts may match on these (<c>$_.FullyQualifiedErrorId</c>).</summary>
    public static class ErrorIds
    {
        public const string NotConnected = "OfflineEvents.NotConnected";
        public const string InvalidConnection = "OfflineEvents.InvalidConnection";
        public const string AuthenticationFailed = "OfflineEvents.AuthenticationFailed";
        public const string PermissionDenied = "OfflineEvents.PermissionDenied";
        public const string EventSetNotFound = "OfflineEvents.EventSetNotFound";
        public const string InvalidRequest = "OfflineEvents.InvalidRequest";
        public const string ServiceUnavailable = "OfflineEvents.ServiceUnavailable";
        public const string ConnectionFailed = "OfflineEvents.ConnectionFailed";
        public const string ApiError = "OfflineEvents.ApiError";
        public const string InvalidArgument = "OfflineEvents.InvalidArgument";
    }
}
