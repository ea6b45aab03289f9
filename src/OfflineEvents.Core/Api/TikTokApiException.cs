using System;

namespace OfflineEvents.Core.Api
{
    /// <summary>
    /// A failed Business API call: TikTok's code and message, the request id to quote to TikTok support,
    /// and whether trying again could help. The message never contains the access token.
    /// </summary>
    public sealed class TikTokApiException : Exception
    {
        public TikTokApiException(string message, ApiErrorKind kind, int code = 0, string? requestId = null, int httpStatus = 0, int attempts = 1, Exception? inner = null)
            : base(message, inner)
        {
            Kind = kind;
            Code = code;
            RequestId = requestId;
            HttpStatus = httpStatus;
            Attempts = attempts;
        }

        public ApiErrorKind Kind { get; }

        /// <summary>TikTok's code; 0 when the failure happened below the API (HTTP, network).</summary>
        public int Code { get; }

        public string? RequestId { get; }

        /// <summary>HTTP status, 0 when no response arrived.</summary>
        public int HttpStatus { get; }

        /// <summary>How many attempts were made before giving up.</summary>
        public int Attempts { get; internal set; }

        /// <summary>TikTok's own message (scrubbed), without our wording around it; empty when the failure was below the API.</summary>
        public string ApiMessage { get; internal set; } = string.Empty;

        public bool IsRetryable => ApiErrorCodes.IsRetryable(Kind);
    }
}
