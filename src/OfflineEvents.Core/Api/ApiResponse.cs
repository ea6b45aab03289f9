using System;
using System.Text.Json;

namespace OfflineEvents.Core.Api
{
    /// <summary>A successful Business API answer (code 0, or 20001 partial success).</summary>
    public sealed class ApiResponse
    {
        internal ApiResponse(int code, string message, string requestId, JsonElement data, int httpStatus, int attempts, TimeSpan elapsed)
        {
            Code = code;
            Message = message;
            RequestId = requestId;
            Data = data;
            HttpStatus = httpStatus;
            Attempts = attempts;
            Elapsed = elapsed;
        }

        public int Code { get; }
        public string Message { get; }
        public string RequestId { get; }

        /// <summary>The envelope's <c>data</c> (a detached copy; safe to keep).</summary>
        public JsonElement Data { get; }

        public int HttpStatus { get; }
        public int Attempts { get; }
        public TimeSpan Elapsed { get; }

        /// <summary>20001: TikTok took part of the payload.</summary>
        public bool IsPartial => Code == 20001;
    }
}
