using System;

namespace OfflineEvents.Core.Api
{
    /// <summary>Per-attempt timeout and retry budget. Retries apply only to retryable failures.</summary>
    public sealed class RetrySettings
    {
        public RetrySettings(TimeSpan? attemptTimeout = null, int maxRetries = 5, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null)
        {
            if (maxRetries < 0 || maxRetries > 100) throw new ArgumentOutOfRangeException(nameof(maxRetries));
            AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(30);
            MaxRetries = maxRetries;
            BaseDelay = baseDelay ?? TimeSpan.FromSeconds(1);
            MaxDelay = maxDelay ?? TimeSpan.FromSeconds(30);
            if (AttemptTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(attemptTimeout));
        }

        public TimeSpan AttemptTimeout { get; }
        public int MaxRetries { get; }
        public TimeSpan BaseDelay { get; }
        public TimeSpan MaxDelay { get; }
    }
}
