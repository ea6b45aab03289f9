namespace OfflineEvents.Core.Api
{
    /// <summary>TikTok's code table (shared/tiktok-offline-api.md §4) as kinds and retry decisions.</summary>
    public static class ApiErrorCodes
    {
        public static ApiErrorKind Classify(int code)
        {
            switch (code)
            {
                case 40102:
                case 40104:
                case 40105:
                    return ApiErrorKind.Authentication;
                case 40001:
                case 40003:
                    return ApiErrorKind.PermissionDenied;
                case 40007:
                    return ApiErrorKind.NotFound;
                case 40000:
                case 40002:
                case 40063: // INVALID_PARTNER_NAME
                    return ApiErrorKind.InvalidRequest;
                case 40050:
                    return ApiErrorKind.DuplicateRequest;
                case 40061:
                    return ApiErrorKind.BatchTooLarge;
                case 40062:
                    return ApiErrorKind.PiiNotHashed;
                case 40100:
                case 40132:
                    return ApiErrorKind.RateLimited;
                case 41001:
                    return ApiErrorKind.EndpointRetired;
                case 60001:
                case 61000:
                    return ApiErrorKind.Maintenance;
                case 50000:
                case 50002:
                    return ApiErrorKind.ServerError;
            }
            if ((code >= 51000 && code <= 51099) || (code >= 52000 && code <= 52204)) return ApiErrorKind.ServerError;
            return ApiErrorKind.Unknown;
        }

        /// <summary>Whether a failure of this kind may succeed if tried again.</summary>
        public static bool IsRetryable(ApiErrorKind kind) =>
            kind == ApiErrorKind.RateLimited || kind == ApiErrorKind.ServerError || kind == ApiErrorKind.Maintenance
            || kind == ApiErrorKind.Transport || kind == ApiErrorKind.Timeout;
    }
}
