using OfflineEvents.Core.Rules;

namespace OfflineEvents.Core.Files
{
    /// <summary>Stable ids of the file and structure rules (row rules: <see cref="RuleIds"/>).</summary>
    public static class FileRuleIds
    {
        public const string FileNotFile = "FileNotFile";
        public const string FileExtension = "FileExtension";
        public const string FileEmpty = "FileEmpty";
        public const string FileTooLarge = "FileTooLarge";
        public const string FileLarge = "FileLarge";
        public const string FileUnreadable = "FileUnreadable";
        public const string FileEncoding = "FileEncoding";
        public const string FileDelimiter = "FileDelimiter";
        public const string FileControlCharacters = "FileControlCharacters";
        public const string HeaderMissing = "HeaderMissing";
        public const string ColumnMissing = "ColumnMissing";
        public const string ColumnDuplicate = "ColumnDuplicate";
        public const string ColumnUnknown = "ColumnUnknown";
        /// <summary>A column read under a name that is not TikTok's (a usual spelling, or -ColumnMap): fine to send, not for a manual upload.</summary>
        public const string ColumnAlias = "ColumnAlias";
        /// <summary>The event_type column holds values that are no TikTok event (an export's own vocabulary): -EventTypeMap.</summary>
        public const string EventTypeColumn = "EventTypeColumn";
        public const string FieldCount = "FieldCount";
        public const string QuoteUnterminated = "QuoteUnterminated";
        public const string QuoteMalformed = "QuoteMalformed";
        public const string RecordTooLarge = "RecordTooLarge";
        public const string NoEvents = "NoEvents";
        public const string DuplicateEvent = "DuplicateEvent";
    }
}
