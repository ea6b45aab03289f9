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
        public const string FileNotFound = "OfflineEvents.FileNotFound";
        /// <summary>A -Path that resolves to another provider (Env:, Variable:...).</summary>
        public const string NotAFileSystemPath = "OfflineEvents.NotAFileSystemPath";
        /// <summary>An output file (-RejectPath, Export's output) is also an input of the run.</summary>
        public const string OutputIsInput = "OfflineEvents.OutputIsInput";
        /// <summary>An output file path (-RejectPath, Export's output) names a directory.</summary>
        public const string PathIsDirectory = "OfflineEvents.PathIsDirectory";
        /// <summary>-DefaultRegion is not a region libphonenumber knows.</summary>
        public const string UnknownRegion = "OfflineEvents.Pii.UnknownRegion";
        /// <summary>-TimeZone is not a time zone id this system knows.</summary>
        public const string UnknownTimeZone = "OfflineEvents.UnknownTimeZone";

        // ConvertTo-HashedPii
        /// <summary>Prefix of a value that could not be normalized; its PiiRules rule id follows (OfflineEvents.Pii.EmailInvalid).</summary>
        public const string PiiInvalidPrefix = "OfflineEvents.Pii.";
        /// <summary>A string piped without -Type.</summary>
        public const string PiiStringNeedsType = "OfflineEvents.Pii.StringNeedsType";
        /// <summary>-EmailProperty, -PhoneProperty or -ExternalIdProperty names a property the object does not have.</summary>
        public const string PiiPropertyNotFound = "OfflineEvents.Pii.PropertyNotFound";
        /// <summary>-ColumnMap names a field the module does not read (or gives one that takes a column several).</summary>
        public const string ColumnMapUnknownField = "OfflineEvents.ColumnMapUnknownField";
        /// <summary>-ColumnMap names a source column the input does not have.</summary>
        public const string ColumnMapMissingColumn = "OfflineEvents.ColumnMapMissingColumn";

        // Send-OfflineEvent
        /// <summary>Prefix of a rejected row's id; the first rule id follows (OfflineEvents.Send.Rejected.EmailInvalid).</summary>
        public const string SendRejectedPrefix = "OfflineEvents.Send.Rejected.";
        public const string SendFileRefused = "OfflineEvents.Send.FileRefused";
        public const string SendCircuitOpen = "OfflineEvents.Send.CircuitOpen";
        public const string SendTooManyRejects = "OfflineEvents.Send.TooManyRejects";
        public const string SendJournalUnavailable = "OfflineEvents.Send.JournalUnavailable";
        public const string SendJournalBusy = "OfflineEvents.Send.JournalBusy";
        public const string SendJournalWriteFailed = "OfflineEvents.Send.JournalWriteFailed";
        public const string SendTemporaryFileFailed = "OfflineEvents.Send.TemporaryFileFailed";
        public const string SendRejectFileFailed = "OfflineEvents.Send.RejectFileFailed";
        public const string MissingColumns = "OfflineEvents.MissingColumns";

        // Get-OfflineEventDelivery
        public const string DeliveryJournalUnavailable = "OfflineEvents.Delivery.JournalUnavailable";

        // Export-OfflineEventFile
        public const string ExportRejectedPrefix = "OfflineEvents.Export.Rejected.";
        public const string ExportFileRefused = "OfflineEvents.Export.FileRefused";
        public const string ExportOutputExists = "OfflineEvents.Export.OutputExists";
        public const string ExportWriteFailed = "OfflineEvents.Export.WriteFailed";
        public const string ExportRejectFileFailed = "OfflineEvents.Export.RejectFileFailed";

        // Timestamps (-TimestampFormat, -Culture)
        /// <summary>A -TimestampFormat that is no .NET date and time format.</summary>
        public const string InvalidTimestampFormat = "OfflineEvents.InvalidTimestampFormat";
        /// <summary>A -Culture this system does not know.</summary>
        public const string UnknownCulture = "OfflineEvents.UnknownCulture";
    }
}
