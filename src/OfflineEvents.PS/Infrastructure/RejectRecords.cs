using System.Globalization;
using System.IO;
using System.Management.Automation;
using OfflineEvents.Core.Delivery;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>The non-terminating error for a rejected row, the same for Send-OfflineEvent and Export-OfflineEventFile.</summary>
    internal static class RejectRecords
    {
        /// <param name="rejected">The row (its TargetObject: PII hashed or masked).</param>
        /// <param name="idPrefix">ErrorIds.SendRejectedPrefix or ExportRejectedPrefix; the first rule id follows.</param>
        /// <param name="outcome">What did not happen: "was not sent", "was not written".</param>
        public static ErrorRecord Create(RejectedEvent rejected, string idPrefix, string outcome)
        {
            string where = (rejected.Source == null ? "Row " : $"{rejected.Source}: row ") + rejected.Row.ToString("N0", CultureInfo.InvariantCulture)
                + (rejected.Line > 0 ? $" (line {rejected.Line:N0})" : string.Empty);
            return new ErrorRecord(
                new InvalidDataException($"{where} {outcome}: {rejected.Reason} (rule {string.Join(", ", rejected.RuleIds)})"),
                idPrefix + rejected.RuleId, ErrorCategory.InvalidData, rejected);
        }

        /// <summary>The non-terminating error for a reject file that cannot be written: the run goes on without it.</summary>
        /// <param name="ex">The failure; its Path is the reject file.</param>
        /// <param name="errorId">ErrorIds.SendRejectFileFailed or ExportRejectFileFailed.</param>
        /// <param name="run">What goes on without it: "run", "export".</param>
        public static ErrorRecord FileFailed(OutputWriteException ex, string errorId, string run) =>
            new ErrorRecord(ex, errorId, ErrorCategory.WriteError, ex.Path)
            {
                ErrorDetails = new ErrorDetails($"The reject file '{ex.Path}' cannot be written ({ex.InnerException?.Message ?? ex.Message}); the rejects of this {run} are reported as errors only.")
                {
                    RecommendedAction = "Give -RejectPath a file in a folder that can be written, with free space.",
                },
            };
    }
}
