using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace OfflineEvents.Core.Rules
{
    /// <summary>Parsers for the manual-upload columns that say exactly why a value is wrong.</summary>
    public static class ValueRules
    {
        // Date, 'T' (or a space: TikTok's acceptance of it is unconfirmed, so it is tolerated), time, optional
        // fraction, optional offset (Z, +hh:mm, +hhmm, +hh), which may follow a space (Shopify: 2026-11-08 09:57:59 -0500).
        private static readonly Regex Iso = new Regex(
            @"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?: ?(Z|z|[+-]\d{2}(?::?\d{2})?))?$",
            RegexOptions.CultureInvariant | RegexOptions.Compiled);

        /// <summary>The outcome of reading a timestamp.</summary>
        public enum TimestampKind
        {
            Invalid,
            /// <summary>With an offset or Z, or epoch seconds or milliseconds (UTC).</summary>
            WithOffset,
            /// <summary>No offset: read in the given time zone, or as UTC when none was given.</summary>
            NoOffset,
            /// <summary>A real date and time that is no instant of the years 1-9999 once its offset or zone is applied.</summary>
            OutOfRange,
        }

        /// <summary>Epoch values of up to this many digits are seconds (10 digits until 2286); 12 or 13 digits are milliseconds.</summary>
        public const int MaxEpochSecondsDigits = 11;

        /// <summary>
        /// Reads an ISO-8601 date-time. Without an offset, <paramref name="zone"/> (if given) says where it
        /// happened, across DST changes (see the other overload for the rule).
        /// </summary>
        public static TimestampKind TryParseTimestamp(string text, TimeZoneInfo? zone, out DateTimeOffset value, out string reason) =>
            TryParseTimestamp(text, zone, null, out value, out reason, out _);

        /// <summary>
        /// Reads a timestamp as exports write it: ISO-8601 (a 'T' or a space between date and time; Z, +hh:mm or +hhmm,
        /// after a space or not), then the <paramref name="formats"/> given, then epoch seconds (up to
        /// <see cref="MaxEpochSecondsDigits"/> digits) or milliseconds (12 or 13 digits), which are UTC. Without an
        /// offset, <paramref name="zone"/> (if given) says where it happened: a local time in the spring-forward gap
        /// is moved forward by the gap, an ambiguous fall-back time is the first (daylight) occurrence, and
        /// <paramref name="dst"/> says which happened.
        /// </summary>
        public static TimestampKind TryParseTimestamp(string text, TimeZoneInfo? zone, TimestampFormats? formats, out DateTimeOffset value, out string reason, out DstAdjustment dst)
        {
            value = default;
            reason = string.Empty;
            dst = DstAdjustment.None;
            if (TryFastIso(text, out DateTime fastLocal, out TimeSpan? fastOffset))
            {
                return Resolve(fastLocal, fastOffset, zone, out value, out reason, out dst);
            }
            string trimmed = text.Trim();
            if (formats != null && formats.TryRead(trimmed, out DateTime formatted, out TimeSpan? formattedOffset))
            {
                return Resolve(formatted, formattedOffset, zone, out value, out reason, out dst);
            }
            if (IsDigits(trimmed)) return Epoch(trimmed, out value, out reason);
            var m = Iso.Match(trimmed);
            if (!m.Success)
            {
                reason = NotATimestamp(trimmed, formats);
                return TimestampKind.Invalid;
            }
            int Part(int g) => m.Groups[g].Success ? int.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture) : 0;
            DateTime local;
            try
            {
                local = new DateTime(Part(1), Part(2), Part(3), Part(4), Part(5), Part(6), DateTimeKind.Unspecified);
            }
            catch (ArgumentOutOfRangeException)
            {
                reason = "is not a real date or time";
                return TimestampKind.Invalid;
            }
            if (m.Groups[7].Success)
            {
                string fraction = m.Groups[7].Value.PadRight(7, '0').Substring(0, 7);
                local = local.AddTicks(long.Parse(fraction, CultureInfo.InvariantCulture));
            }
            return Resolve(local, m.Groups[8].Success ? ParseOffset(m.Groups[8].Value) : (TimeSpan?)null, zone, out value, out reason, out dst);
        }

        /// <summary>Why a value is no timestamp, naming what was tried and the parameter that reads other layouts.</summary>
        private static string NotATimestamp(string text, TimestampFormats? formats)
        {
            const string Tried = "ISO-8601 (2022-10-22T19:11:01Z, 2022-10-22 19:11:01 -0500) or epoch seconds or milliseconds";
            if (formats != null) return $"matches none of -TimestampFormat {formats}, nor {Tried}";
            bool slashed = text.Length > 0 && char.IsDigit(text[0]) && text.IndexOf('/') >= 0;
            bool dotted = text.Length > 0 && char.IsDigit(text[0]) && Regex.IsMatch(text, @"^\d{1,2}\.\d{1,2}\.\d{2,4}");
            return slashed ? $"is not ISO-8601 but a slashed date (tried {Tried}): give its layout with -TimestampFormat, such as 'M/d/yyyy h:mm tt' (and -Culture)"
                : dotted ? $"is not ISO-8601 but a dotted date (tried {Tried}): give its layout with -TimestampFormat, such as 'dd.MM.yyyy HH:mm'"
                : $"is not a timestamp: tried {Tried}; for another layout give -TimestampFormat, such as 'M/d/yyyy h:mm tt'";
        }

        private static bool IsDigits(string s)
        {
            foreach (char c in s)
            {
                if (c < '0' || c > '9') return false;
            }
            return s.Length > 0;
        }

        /// <summary>Epoch seconds (up to 11 digits) or milliseconds (12 or 13): told apart by their length, as no real time needs more digits.</summary>
        private static TimestampKind Epoch(string digits, out DateTimeOffset value, out string reason)
        {
            value = default;
            reason = string.Empty;
            if (digits.Length > 13)
            {
                reason = $"is a number of {digits.Length} digits: epoch seconds have up to {MaxEpochSecondsDigits} (10 until 2286), milliseconds 12 or 13";
                return TimestampKind.Invalid;
            }
            long n = long.Parse(digits, CultureInfo.InvariantCulture);
            value = digits.Length <= MaxEpochSecondsDigits ? DateTimeOffset.FromUnixTimeSeconds(n) : DateTimeOffset.FromUnixTimeMilliseconds(n);
            return TimestampKind.WithOffset;
        }

        /// <summary>A read date and time, with its offset if it had one, as an instant (or why it is none).</summary>
        private static TimestampKind Resolve(DateTime local, TimeSpan? writtenOffset, TimeZoneInfo? zone, out DateTimeOffset value, out string reason, out DstAdjustment dst)
        {
            value = default;
            reason = string.Empty;
            dst = DstAdjustment.None;
            if (writtenOffset is TimeSpan offset)
            {
                if (offset.Duration() > TimeSpan.FromHours(14))
                {
                    reason = "has an offset beyond ±14:00";
                    return TimestampKind.Invalid;
                }
                if (!InRange(local, offset, out reason)) return TimestampKind.OutOfRange;
                value = new DateTimeOffset(local, offset);
                return TimestampKind.WithOffset;
            }
            if (zone == null)
            {
                value = new DateTimeOffset(local, TimeSpan.Zero);
                return TimestampKind.NoOffset;
            }
            TimeSpan zoneOffset;
            try
            {
                if (zone.IsInvalidTime(local))
                {
                    // The clocks skip it (spring forward): read with the offset before the change, which moves it
                    // forward by the gap (02:30 in New York on 2026-03-08 is 07:30 UTC, 03:30 EDT).
                    long utcTicks = local.Ticks - OffsetBeforeGap(zone, local).Ticks;
                    zoneOffset = zone.GetUtcOffset(new DateTime(utcTicks, DateTimeKind.Utc));
                    local = new DateTime(utcTicks + zoneOffset.Ticks, DateTimeKind.Unspecified);
                    dst = DstAdjustment.MovedForward;
                }
                else if (zone.IsAmbiguousTime(local))
                {
                    // It happens twice (the clocks fall back): read with the offset that comes first, daylight time.
                    zoneOffset = Max(zone.GetAmbiguousTimeOffsets(local));
                    dst = DstAdjustment.FirstOccurrence;
                }
                else
                {
                    zoneOffset = zone.GetUtcOffset(local);
                }
            }
            catch (ArgumentException)
            {
                // The zone's rules cannot place a time at the very ends of the calendar (0001-01-01, 9999-12-31).
                reason = $"cannot be placed in time zone {zone.Id} (a placeholder date?)";
                return TimestampKind.OutOfRange;
            }
            if (!InRange(local, zoneOffset, out reason)) return TimestampKind.OutOfRange;
            value = new DateTimeOffset(local, zoneOffset);
            return TimestampKind.NoOffset;
        }

        /// <summary>The zone's offset just before the gap a local time falls in: the latest valid local time before it.</summary>
        private static TimeSpan OffsetBeforeGap(TimeZoneInfo zone, DateTime local)
        {
            // Gaps are whole quarter hours and at most a day (Samoa skipped 2011-12-30).
            for (int minutes = 15; minutes <= 25 * 60; minutes += 15)
            {
                var probe = local.AddMinutes(-minutes);
                if (!zone.IsInvalidTime(probe)) return zone.GetUtcOffset(probe);
            }
            return zone.BaseUtcOffset;
        }

        /// <summary>
        /// Whether the instant (local time minus offset) falls within the years 1-9999 that DateTimeOffset can hold:
        /// 0001-01-01T00:00:00+01:00, an "empty date" of many exports, is in UTC a moment before year 1.
        /// </summary>
        private static bool InRange(DateTime local, TimeSpan offset, out string reason)
        {
            long utcTicks = local.Ticks - offset.Ticks;
            reason = utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks
                ? $"is outside the years 1-9999 once its offset ({Offset(offset)}) is applied (a placeholder date?)"
                : string.Empty;
            return reason.Length == 0;
        }

        private static string Offset(TimeSpan offset) =>
            (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);

        /// <summary>
        /// The common spellings (2022-10-22T19:11:01Z or with a space for the T, a fraction of up to 7 digits, +hh:mm or
        /// +hhmm, after a space or not) read without
        /// the regex and its allocations, for every row of a file. Anything else, including every invalid value,
        /// goes the regex's way, which also says what is wrong.
        /// </summary>
        private static bool TryFastIso(string text, out DateTime local, out TimeSpan? offset)
        {
            local = default;
            offset = null;
            int n = text.Length;
            if (n < 19 || text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != ' ') || text[13] != ':' || text[16] != ':') return false;
            if (!Digits(text, 0, 4, out int year) || !Digits(text, 5, 2, out int month) || !Digits(text, 8, 2, out int day)
                || !Digits(text, 11, 2, out int hour) || !Digits(text, 14, 2, out int minute) || !Digits(text, 17, 2, out int second)) return false;
            if (year < 1 || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return false;
            int i = 19;
            long ticks = 0;
            if (i < n && text[i] == '.')
            {
                int start = ++i;
                while (i < n && text[i] >= '0' && text[i] <= '9' && i - start < 7) ticks = ticks * 10 + (text[i++] - '0');
                int count = i - start;
                if (count == 0 || (i < n && text[i] >= '0' && text[i] <= '9')) return false;
                for (int k = count; k < 7; k++) ticks *= 10;
            }
            // Shopify writes a space before the offset: 2026-11-08 09:57:59 -0500.
            if (i + 1 < n && text[i] == ' ' && (text[i + 1] == '+' || text[i + 1] == '-' || text[i + 1] == 'Z')) i++;
            if (i == n)
            {
                // no offset
            }
            else if (text[i] == 'Z' && i + 1 == n)
            {
                offset = TimeSpan.Zero;
            }
            else if ((text[i] == '+' || text[i] == '-') && i + 6 == n && text[i + 3] == ':'
                && Digits(text, i + 1, 2, out int oh) && Digits(text, i + 4, 2, out int om) && om < 60)
            {
                offset = TimeSpan.FromMinutes((text[i] == '-' ? -1 : 1) * (oh * 60 + om));
            }
            else if ((text[i] == '+' || text[i] == '-') && i + 5 == n
                && Digits(text, i + 1, 2, out int ch) && Digits(text, i + 3, 2, out int cm) && cm < 60)
            {
                offset = TimeSpan.FromMinutes((text[i] == '-' ? -1 : 1) * (ch * 60 + cm));
            }
            else
            {
                return false;
            }
            local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(ticks);
            return true;
        }

        private static bool Digits(string text, int start, int count, out int value)
        {
            value = 0;
            for (int i = start; i < start + count; i++)
            {
                char c = text[i];
                if (c < '0' || c > '9') return false;
                value = value * 10 + (c - '0');
            }
            return true;
        }

        private static TimeSpan Max(TimeSpan[] offsets)
        {
            var max = offsets[0];
            foreach (var o in offsets) if (o > max) max = o;
            return max;
        }

        private static TimeSpan ParseOffset(string text)
        {
            if (text == "Z" || text == "z") return TimeSpan.Zero;
            int sign = text[0] == '-' ? -1 : 1;
            string digits = text.Substring(1).Replace(":", string.Empty);
            int hours = int.Parse(digits.Substring(0, 2), CultureInfo.InvariantCulture);
            int minutes = digits.Length >= 4 ? int.Parse(digits.Substring(2, 2), CultureInfo.InvariantCulture) : 0;
            return TimeSpan.FromMinutes(sign * (hours * 60 + minutes));
        }

        /// <summary>
        /// Amounts (price, and value = price x quantity) must be below this: TikTok reads them as JSON doubles, and
        /// 12 whole digits with <see cref="MaxDecimals"/> decimals (15 significant digits) are what a double carries
        /// exactly. A larger amount in a shop export is a misplaced column or an id, not a sale.
        /// </summary>
        public const decimal MaxAmount = 1_000_000_000_000m;

        /// <summary>Decimal places an amount may have (three-decimal currencies such as KWD need three).</summary>
        public const int MaxDecimals = 3;

        /// <summary>The largest quantity: TikTok's contents quantity is an int32.</summary>
        public const long MaxQuantity = int.MaxValue;

        /// <summary>
        /// A non-negative amount below <see cref="MaxAmount"/> with at most <see cref="MaxDecimals"/> decimals (trailing
        /// zeros aside), '.' as the decimal point and no grouping, a currency sign or code around it allowed; the reason otherwise.
        /// </summary>
        public static bool TryParsePrice(string text, out decimal value, out string reason) => TryParsePrice(text, null, out value, out _, out reason);

        /// <summary>
        /// Reads a price as exports write it: a plain decimal ('12.50', the fast path), with a currency sign or ISO code
        /// before or after it ('$12.50', '12,50 €', 'USD 12.50'; <paramref name="currency"/> gets the code it names, or
        /// empty for '$' or '¥', which name several), and under <paramref name="culture"/> (-Culture) with that culture's
        /// decimal and thousands separators ('1.234,50' in de-DE). Without a culture a comma is refused, naming -Culture.
        /// </summary>
        public static bool TryParsePrice(string text, CultureInfo? culture, out decimal value, out string currency, out string reason)
        {
            string s = text.Trim();
            reason = string.Empty;
            currency = string.Empty;
            bool pointCulture = culture == null || culture.NumberFormat.NumberDecimalSeparator == ".";
            if (pointCulture && TryPlainDecimal(s, out value)) return AmountInRange(value, out reason);
            if (s.Length > 0 && (s[0] < '0' || s[0] > '9' || s[s.Length - 1] < '0' || s[s.Length - 1] > '9')
                && WrittenAmount.TryStripCurrency(s, out string amount, out currency))
            {
                s = amount;
                if (pointCulture && TryPlainDecimal(s, out value)) return AmountInRange(value, out reason);
            }
            if (culture != null && WrittenAmount.TryReadNumber(s, culture, out value)) return AmountInRange(value, out reason);
            value = 0;
            if (pointCulture && s.Length > 0 && s.Length <= 60 && IsDigitsAndDot(s))
            {
                reason = $"is {MaxAmount:N0} or more: TikTok takes amounts below that";
                return false;
            }
            if (s.StartsWith("-", StringComparison.Ordinal) || (s.StartsWith("(", StringComparison.Ordinal) && s.EndsWith(")", StringComparison.Ordinal)))
                reason = "is negative: refunds are not conversions";
            else if (s.IndexOfAny(new[] { '$', '€', '£', '¥', '₹', '₩', '₽', '¢' }) >= 0 || Regex.IsMatch(s, @"^[A-Za-z]{3}\s*\d|\d\s*[A-Za-z]{3}$"))
                reason = "has a currency sign or code that is not one before or after the amount (such as $12.50 or 12.50 EUR): put the amount here and the ISO 4217 code in the currency column";
            else if (culture != null)
                reason = $"is not an amount as culture {culture.Name} writes it (such as {WrittenAmount.Example(culture)}): check -Culture";
            else if (Regex.IsMatch(s, @"^\d{1,3}([,. ']\d{3})+([.,]\d+)?$") && !Regex.IsMatch(s, @"^\d{1,3}[.,]\d{3}$"))
                reason = "has thousands separators: give the export's -Culture (en-US reads 1,234.50, de-DE 1.234,50), or write 1234.50";
            else if (Regex.IsMatch(s, @"^\d{1,3}[.,]\d{3}$"))
                reason = "is ambiguous (thousands separator or three decimals?): give the export's -Culture (such as en-US or de-DE), or write the amount without grouping";
            else if (Regex.IsMatch(s, @"^\d+,\d+$"))
                reason = "uses a comma as the decimal separator: give the export's -Culture (such as de-DE or fr-FR), or write 12.50, not 12,50";
            else
                reason = "is not a number";
            return false;
        }

        /// <summary>Whether an amount (a price, or price x quantity) is one TikTok can take; the reason otherwise.</summary>
        public static bool AmountInRange(decimal value, out string reason)
        {
            reason = value >= MaxAmount ? $"is {MaxAmount:N0} or more: TikTok takes amounts below that"
                : decimal.Round(value, MaxDecimals) != value ? $"has more than {MaxDecimals} decimal places"
                : string.Empty;
            return reason.Length == 0;
        }

        private static bool IsDigitsAndDot(string s)
        {
            int dots = 0;
            foreach (char c in s)
            {
                if (c == '.') dots++;
                else if (c < '0' || c > '9') return false;
            }
            return dots <= 1 && s[0] != '.' && s[s.Length - 1] != '.';
        }

        /// <summary>
        /// Digits with an optional '.' and more digits, the shape of nearly every price: checked and read in one pass
        /// for every row (a shared compiled regex and decimal.TryParse were a twentieth of an export's CPU). The value
        /// keeps its scale, as decimal.TryParse would ("12.50" stays 12.50); more than 19 digits go to decimal.TryParse.
        /// </summary>
        internal static bool TryPlainDecimal(string s, out decimal value)
        {
            value = 0;
            int dot = -1, digits = 0;
            ulong mantissa = 0;
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                if (c >= '0' && c <= '9')
                {
                    mantissa = mantissa * 10 + (ulong)(c - '0');
                    digits++;
                }
                else if (c == '.' && dot < 0 && i > 0 && i < s.Length - 1)
                {
                    dot = i;
                }
                else
                {
                    return false;
                }
            }
            if (digits == 0) return false;
            if (digits > 19) return decimal.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
            int scale = dot < 0 ? 0 : s.Length - dot - 1;
            value = new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), 0, false, (byte)scale);
            return true;
        }

        /// <summary>A whole number from 1 to <see cref="MaxQuantity"/>.</summary>
        public static bool TryParseQuantity(string text, out long value, out string reason) => TryParseQuantity(text, null, out value, out reason);

        /// <summary>A whole number from 1 to <see cref="MaxQuantity"/>, under <paramref name="culture"/> (-Culture) written with its separators ('1,0', '1.000' in de-DE).</summary>
        public static bool TryParseQuantity(string text, CultureInfo? culture, out long value, out string reason)
        {
            string s = text.Trim();
            reason = string.Empty;
            if (long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 1 && value <= MaxQuantity) return true;
            if (culture != null)
            {
                if (WrittenAmount.TryReadNumber(s, culture, out var read) && read == decimal.Truncate(read) && read >= 1 && read <= MaxQuantity)
                {
                    value = (long)read;
                    return true;
                }
                value = 0;
                reason = WrittenAmount.TryReadNumber(s, culture, out read) ? (read < 1 ? "must be at least 1" : read > MaxQuantity ? $"is over {MaxQuantity:N0}, the largest quantity TikTok takes" : "must be a whole number")
                    : s.StartsWith("-", StringComparison.Ordinal) ? "must be at least 1"
                    : $"is not a number as culture {culture.Name} writes it (such as {WrittenAmount.Example(culture)})";
                return false;
            }
            // Spreadsheets and POS exports write whole quantities as 1.0 or 2.00: a whole number all the same.
            if (decimal.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var whole) && whole == decimal.Truncate(whole)
                && whole >= 1 && whole <= MaxQuantity)
            {
                value = (long)whole;
                return true;
            }
            value = 0;
            bool digits = s.Length > 0;
            foreach (char c in s) digits &= c >= '0' && c <= '9';
            reason = digits && s.TrimStart('0').Length > 0 ? $"is over {MaxQuantity:N0}, the largest quantity TikTok takes"
                : culture == null && Regex.IsMatch(s, @"^\d+,\d+$") ? "uses a comma as the decimal separator: give the export's -Culture (such as de-DE), or write 2, not 2,0"
                : decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d)
                ? (d <= 0 ? "must be at least 1" : "must be a whole number")
                : "is not a number";
            return false;
        }

        /// <summary>Text a spreadsheet could run as a formula when the file is opened (=, +, -, @, tab, CR first).</summary>
        public static bool LooksLikeFormula(string text) =>
            text.Length > 0 && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' || text[0] == '\t' || text[0] == '\r');
    }
}
