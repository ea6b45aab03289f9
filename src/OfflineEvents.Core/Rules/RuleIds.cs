using OfflineEvents.Core.Pii;

namespace OfflineEvents.Core.Rules
{
    /// <summary>Stable ids of the row rules; about_OfflineEvents lists each with an example message.</summary>
    public static class RuleIds
    {
        public const string EventTypeMissing = "EventTypeMissing";
        public const string EventTypeUnknown = "EventTypeUnknown";
        public const string IdentityMissing = "IdentityMissing";
        public const string EmailInvalid = PiiRules.EmailInvalid;
        public const string PhoneInvalid = PiiRules.PhoneInvalid;
        public const string PhoneNeedsRegion = PiiRules.PhoneNeedsRegion;
        public const string HashNotSha256 = PiiRules.HashNotSha256;
        /// <summary>More distinct valid values of one identifier than are sent (an event's cap, or the manual upload's one column): the first are kept.</summary>
        public const string IdentifiersLeftOut = "IdentifiersLeftOut";
        public const string TimestampMissing = "TimestampMissing";
        public const string TimestampInvalid = "TimestampInvalid";
        public const string TimestampNoOffset = "TimestampNoOffset";
        public const string TimestampFuture = "TimestampFuture";
        public const string TimestampTooOld = "TimestampTooOld";
        public const string TimestampOutOfRange = "TimestampOutOfRange";
        /// <summary>A local time the clocks skip (spring forward) in its zone: moved forward by the gap.</summary>
        public const string TimestampDstGap = "TimestampDstGap";
        /// <summary>A local time that happens twice (fall back) in its zone: read as the first occurrence.</summary>
        public const string TimestampDstOverlap = "TimestampDstOverlap";
        /// <summary>A row's time_zone that no IANA, Windows or Rails name matches.</summary>
        public const string TimeZoneUnknown = "TimeZoneUnknown";
        /// <summary>Send with -JournalRetentionDays: older than the window the journal remembers, so it is not sent again.</summary>
        public const string TimestampBeyondRetention = "TimestampBeyondRetention";
        public const string PriceInvalid = "PriceInvalid";
        public const string CurrencyInvalid = "CurrencyInvalid";
        public const string CurrencyUnsupported = "CurrencyUnsupported";
        public const string QuantityInvalid = "QuantityInvalid";
        public const string ValueTooLarge = "ValueTooLarge";
        public const string FormulaCell = "FormulaCell";
        public const string FieldTooLong = "FieldTooLong";
        /// <summary>A pipeline object's property that the module reads holds an object (a hashtable, a list), not a value.</summary>
        public const string ValueNotScalar = "ValueNotScalar";
        /// <summary>Send: a line of an order came after the order's event was sent (more than -GroupBy's window of open orders later): sent alone.</summary>
        public const string OrderNotGrouped = "OrderNotGrouped";
        /// <summary>Send: an order's lines are in more than one currency; the value counts only the first line's currency.</summary>
        public const string OrderCurrencyConflict = "OrderCurrencyConflict";
        /// <summary>Send: an order's lines are more than a day apart; the event takes the earliest time.</summary>
        public const string OrderTimeSpread = "OrderTimeSpread";
    }
}
