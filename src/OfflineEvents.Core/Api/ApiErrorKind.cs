namespace OfflineEvents.Core.Api
{
    /// <summary>What kind of failure an API call met; decides retry and the PowerShell error category.</summary>
    public enum ApiErrorKind
    {
        Unknown = 0,
        Authentication,
        PermissionDenied,
        NotFound,
        InvalidRequest,
        BatchTooLarge,
        PiiNotHashed,
        RateLimited,
        ServerError,
        Maintenance,
        EndpointRetired,
        Transport,
        Timeout,
        Protocol,
        /// <summary>40050: TikTok already has this request; for a retried batch it means the first attempt arrived.</summary>
        DuplicateRequest,
    }
}
