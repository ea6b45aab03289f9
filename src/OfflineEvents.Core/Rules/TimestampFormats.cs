using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace OfflineEvents.Core.Rules
{
    /// <summary>
    /// The .NET date and time formats (-TimestampFormat) and culture (-Culture) an export's timestamps are written in,
    /// tried in order before the ISO-8601 and epoch readings. A format with an offset specifier (z, zz, zzz, K) reads an
    /// instant; one without reads a local time, placed by the row's time_zone or -TimeZone like an ISO time without offset.
    /// </summary>
    public sealed class TimestampFormats
    {
        /// <exception cref="ArgumentException">No format, or one that is no .NET date and time format.</exception>
        public TimestampFormats(IEnumerable<string> formats, CultureInfo? culture = null)
        {
            Culture = culture ?? CultureInfo.InvariantCulture;
            Formats = (formats ?? throw new ArgumentNullException(nameof(formats))).ToArray();
            if (Formats.Count == 0) throw new ArgumentException("Give at least one timestamp format, such as 'M/d/yyyy h:mm tt'.", nameof(formats));
            foreach (string format in Formats)
            {
                try
                {
                    // An invalid format ('%', an unclosed quote) only shows when it is used: find out now, not per row.
                    _ = new DateTime(2026, 11, 24, 9, 53, 0).ToString(format, Culture);
                    if (string.IsNullOrWhiteSpace(format)) throw new FormatException();
                }
                catch (FormatException)
                {
                    throw new ArgumentException($"'{format}' is not a .NET date and time format such as 'M/d/yyyy h:mm tt' or 'dd.MM.yyyy HH:mm'.", nameof(formats));
                }
            }
            _withOffset = Formats.Select(HasOffset).ToArray();
        }

        public IReadOnlyList<string> Formats { get; }

        public CultureInfo Culture { get; }

        private readonly bool[] _withOffset;

        /// <summary>Reads the text with the first format that fits it; offset is null for a format without one.</summary>
        internal bool TryRead(string text, out DateTime local, out TimeSpan? offset)
        {
            const DateTimeStyles styles = DateTimeStyles.AllowWhiteSpaces;
            for (int i = 0; i < Formats.Count; i++)
            {
                if (_withOffset[i])
                {
                    if (DateTimeOffset.TryParseExact(text, Formats[i], Culture, styles, out var instant))
                    {
                        local = instant.DateTime;
                        offset = instant.Offset;
                        return true;
                    }
                }
                else if (DateTime.TryParseExact(text, Formats[i], Culture, styles, out local))
                {
                    offset = null;
                    return true;
                }
            }
            local = default;
            offset = null;
            return false;
        }

        /// <summary>Whether a format has an offset specifier outside quotes and escapes (a one-letter format is a standard one).</summary>
        private static bool HasOffset(string format)
        {
            if (format.Length == 1) return false;
            char quote = '\0';
            for (int i = 0; i < format.Length; i++)
            {
                char c = format[i];
                if (quote != '\0') { if (c == quote) quote = '\0'; continue; }
                if (c == '\\') { i++; continue; }
                if (c == '\'' || c == '"') { quote = c; continue; }
                if (c == 'z' || c == 'K') return true;
            }
            return false;
        }

        /// <summary>The formats as a message lists them.</summary>
        public override string ToString() =>
            string.Join(", ", Formats.Select(f => "'" + f + "'")) + (Culture.Name.Length > 0 ? $" (culture {Culture.Name})" : string.Empty);
    }
}
