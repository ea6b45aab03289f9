using System;
using System.Collections.Generic;
using System.Linq;
using PhoneNumbers;

namespace OfflineEvents.Core.Pii
{
    /// <summary>
    /// libphonenumber's IsValidNumber, answered from the same metadata patterns compiled to digit automata
    /// (<see cref="DigitPattern"/>) that every thread shares. libphonenumber matches them with shared Regex
    /// objects: .NET keeps one runner per Regex, so threads validating at once kept building runners (two threads
    /// took 2,291 ms for what one did in 670 ms), and even a regex set per thread spent a third of an export's
    /// worker time walking the long alternations of the NANP patterns.
    /// </summary>
    /// <remarks>
    /// The logic is libphonenumber's: the number's region is the first region of its calling code whose leading
    /// digits match (or, for a region without leading digits, whose number types match); the number is valid
    /// when the national significant number matches that region's general pattern and one of its number types
    /// (premium rate, toll free, shared cost, VoIP, personal, pager, UAN, voicemail, fixed line, mobile), each
    /// gated by its possible lengths. Calling codes of non-geographic entities (+800, +808, ...), and any whose
    /// patterns use syntax the automata do not cover, are left to libphonenumber. Tests compare both answers over
    /// every NANP area code and random numbers of every calling code.
    /// Kept under issue 14's rule (a hand-written replacement stays only for a 20% gain a user sees): one
    /// build.ps1 Bench -CompareModulePath run on the 50 MB export, 2-core VM, against the same build with
    /// libphonenumber's IsValidNumber: Export-OfflineEventFile -Path 325,906 vs 271,065 rows/s (+20%), and
    /// 143,790 vs 109,254 (+32%) as a process's first run; Send-OfflineEvent -Path's first run 66,696 vs 54,697
    /// (+22%); Test-OfflineEventFile 481,339 vs 408,984 (+18%); the cold nightly run 3-9% faster.
    /// </remarks>
    internal static class PhoneValidity
    {
        /// <summary>libphonenumber's region code for the calling codes of non-geographic entities (+800, +808, ...).</summary>
        internal const string NonGeographicRegion = "001";

        // A calling code's automata are built on its first number (about 40 ms for the 25 regions of +1), once: the
        // Lazy keeps two threads that meet a calling code together from both building them.
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, Lazy<CallingCode?>> Codes =
            new System.Collections.Concurrent.ConcurrentDictionary<int, Lazy<CallingCode?>>();

        /// <summary>Whether libphonenumber's IsValidNumber would call <paramref name="number"/> valid.</summary>
        /// <param name="util">The libphonenumber instance whose metadata is used.</param>
        /// <param name="number">A parsed number.</param>
        /// <param name="nationalSignificantNumber">util.GetNationalSignificantNumber(number), which the caller has anyway.</param>
        public static bool IsValid(PhoneNumberUtil util, PhoneNumber number, string nationalSignificantNumber)
        {
            var code = For(util, number.CountryCode);
            return code == null ? util.IsValidNumber(number) : code.IsValid(nationalSignificantNumber);
        }

        /// <summary>Whether every pattern of the calling code compiled to automata (false: libphonenumber answers).</summary>
        internal static bool UsesAutomata(PhoneNumberUtil util, int callingCode) => For(util, callingCode) != null;

        private static CallingCode? For(PhoneNumberUtil util, int callingCode)
        {
            if (!Codes.TryGetValue(callingCode, out var code))
            {
                code = Codes.GetOrAdd(callingCode, c => new Lazy<CallingCode?>(() => CallingCode.TryCreate(util, c)));
            }
            return code.Value;
        }

        private sealed class CallingCode
        {
            private readonly Region[] _regions;

            private CallingCode(Region[] regions) => _regions = regions;

            public static CallingCode? TryCreate(PhoneNumberUtil util, int callingCode)
            {
                var regionCodes = util.GetRegionCodesForCountryCode(callingCode);
                if (regionCodes.Count == 0 || regionCodes.Contains(NonGeographicRegion)) return null;
                var regions = new Region?[regionCodes.Count];
                for (int i = 0; i < regions.Length; i++)
                {
                    var metadata = util.GetMetadataForRegion(regionCodes[i]);
                    if (metadata == null) return null;
                    regions[i] = Region.TryCreate(metadata);
                    if (regions[i] == null) return null;
                }
                return new CallingCode(regions!);
            }

            public bool IsValid(string nationalSignificantNumber)
            {
                Region? region = _regions.Length == 1 ? _regions[0] : null;
                if (region == null)
                {
                    foreach (var candidate in _regions)
                    {
                        if (candidate.HasLeadingDigits)
                        {
                            if (!candidate.LeadingDigitsMatch(nationalSignificantNumber)) continue;
                            region = candidate;
                            break;
                        }
                        // libphonenumber picks this region because the number has one of its types, then asks
                        // again whether it has one of its types: the first answer is the second.
                        if (candidate.HasValidType(nationalSignificantNumber)) return true;
                    }
                    if (region == null) return false;
                }
                if (!region.GeneralHasPattern)
                {
                    // libphonenumber's rule for regions without patterns: a length the ITU allows.
                    int length = nationalSignificantNumber.Length;
                    return length > 2 && length <= 17;
                }
                return region.HasValidType(nationalSignificantNumber);
            }
        }

        private sealed class Region
        {
            private readonly DigitPattern? _leading;
            private readonly Pattern _general;
            private readonly Pattern[] _types;

            private Region(DigitPattern? leading, bool generalHasPattern, Pattern general, Pattern[] types)
            {
                _leading = leading;
                GeneralHasPattern = generalHasPattern;
                _general = general;
                _types = types;
            }

            /// <summary>The region's automata; null when one of its patterns does not compile.</summary>
            public static Region? TryCreate(PhoneMetadata metadata)
            {
                DigitPattern? leading = null;
                if (metadata.HasLeadingDigits && (leading = DigitPattern.TryCompile(metadata.LeadingDigits)) == null) return null;
                var general = Pattern.TryCreate(metadata.GeneralDesc);
                if (general == null) return null;
                // Any type's match makes the number valid, so the order only decides how soon: fixed line and
                // mobile, the numbers people give, come first (libphonenumber asks them last, as it also names the
                // type). A type whose pattern and lengths repeat an earlier one (US fixed line and mobile) is asked once.
                var types = new List<Pattern>();
                foreach (var description in new[]
                {
                    metadata.FixedLine, metadata.Mobile, metadata.PremiumRate, metadata.TollFree, metadata.SharedCost,
                    metadata.Voip, metadata.PersonalNumber, metadata.Pager, metadata.Uan, metadata.Voicemail,
                })
                {
                    var pattern = Pattern.TryCreate(description);
                    if (pattern == null) return null;
                    if (pattern.CanMatch && !types.Any(t => t.SameAs(pattern))) types.Add(pattern);
                }
                return new Region(leading, metadata.GeneralDesc.HasNationalNumberPattern, general, types.ToArray());
            }

            public bool HasLeadingDigits => _leading != null;

            public bool LeadingDigitsMatch(string nsn) => _leading!.MatchesPrefix(nsn);

            public bool GeneralHasPattern { get; }

            public bool HasValidType(string nsn)
            {
                if (!_general.Matches(nsn)) return false;
                foreach (var type in _types)
                {
                    if (type.Matches(nsn)) return true;
                }
                return false;
            }
        }

        /// <summary>A number description: its possible lengths gate a whole-string match of its pattern.</summary>
        private sealed class Pattern
        {
            private readonly int[] _lengths;
            private readonly string _text;
            private readonly DigitPattern? _automaton;

            private Pattern(int[] lengths, string text, DigitPattern? automaton)
            {
                _lengths = lengths;
                _text = text;
                _automaton = automaton;
            }

            /// <summary>The description's pattern as an automaton (none for an empty pattern); null when it does not compile.</summary>
            public static Pattern? TryCreate(PhoneNumberDesc description)
            {
                string text = description.NationalNumberPattern ?? string.Empty;
                DigitPattern? automaton = null;
                if (text.Length > 0 && (automaton = DigitPattern.TryCompile(text)) == null) return null;
                return new Pattern(description.PossibleLengthList.ToArray(), text, automaton);
            }

            public bool CanMatch => _automaton != null;

            public bool SameAs(Pattern other) => _text == other._text && _lengths.SequenceEqual(other._lengths);

            public bool Matches(string nsn) =>
                _automaton != null && (_lengths.Length == 0 || Array.IndexOf(_lengths, nsn.Length) >= 0) && _automaton.Matches(nsn);
        }
    }
}
