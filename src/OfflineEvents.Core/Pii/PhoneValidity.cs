using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using PhoneNumbers;

namespace OfflineEvents.Core.Pii
{
    /// <summary>
    /// libphonenumber's IsValidNumber, answered from the same metadata patterns with regexes each thread owns.
    /// libphonenumber shares each Regex across threads, and .NET keeps one runner per Regex: threads validating
    /// at once keep building runners. Measured on NANP numbers: libphonenumber took 44 ms on one thread and
    /// 143-178 ms for two threads doing as much each; the same patterns shared by two threads took 2,291 ms for
    /// what one thread did in 670 ms, and 650 ms with a set per thread.
    /// </summary>
    /// <remarks>
    /// The logic is libphonenumber's: the number's region is the first region of its calling code whose leading
    /// digits match (or, for a region without leading digits, whose number types match); the number is valid
    /// when the national significant number matches that region's general pattern and one of its number types
    /// (premium rate, toll free, shared cost, VoIP, personal, pager, UAN, voicemail, fixed line, mobile), each
    /// gated by its possible lengths. Calling codes of non-geographic entities (+800, +808, ...) are left to
    /// libphonenumber. Tests compare both answers over every NANP area code and random numbers of every
    /// calling code.
    /// </remarks>
    internal static class PhoneValidity
    {
        /// <summary>libphonenumber's region code for the calling codes of non-geographic entities (+800, +808, ...).</summary>
        internal const string NonGeographicRegion = "001";

        // Per thread: a thread's first number of a calling code pays for parsing its patterns (about 15 ms for the
        // 25 regions of +1). Interpreted, not compiled: compiling took 70 MB and seconds in pwsh across its
        // thread-pool threads, for a steady-state gain the benchmark could not tell from noise.
        [ThreadStatic]
        private static Dictionary<int, CallingCode?>? t_codes;

        /// <summary>Whether libphonenumber's IsValidNumber would call <paramref name="number"/> valid.</summary>
        /// <param name="util">The libphonenumber instance whose metadata is used.</param>
        /// <param name="number">A parsed number.</param>
        /// <param name="nationalSignificantNumber">util.GetNationalSignificantNumber(number), which the caller has anyway.</param>
        public static bool IsValid(PhoneNumberUtil util, PhoneNumber number, string nationalSignificantNumber)
        {
            var codes = t_codes ??= new Dictionary<int, CallingCode?>();
            if (!codes.TryGetValue(number.CountryCode, out var code))
            {
                code = CallingCode.TryCreate(util, number.CountryCode);
                codes[number.CountryCode] = code;
            }
            return code == null ? util.IsValidNumber(number) : code.IsValid(nationalSignificantNumber);
        }

        /// <summary>
        /// The alternatives of a metadata pattern made only of digits and '|' ("268", "0|180020"), which a prefix
        /// comparison can answer; null for any other pattern, the empty one included.
        /// </summary>
        internal static string[]? DigitAlternatives(string pattern)
        {
            string[] alternatives = pattern.Split('|');
            return alternatives.All(a => a.Length > 0 && a.All(c => c >= '0' && c <= '9')) ? alternatives : null;
        }

        private sealed class CallingCode
        {
            private readonly Region[] _regions;

            private CallingCode(Region[] regions) => _regions = regions;

            public static CallingCode? TryCreate(PhoneNumberUtil util, int callingCode)
            {
                var regionCodes = util.GetRegionCodesForCountryCode(callingCode);
                if (regionCodes.Count == 0 || regionCodes.Contains(NonGeographicRegion)) return null;
                var regions = new Region[regionCodes.Count];
                for (int i = 0; i < regions.Length; i++)
                {
                    var metadata = util.GetMetadataForRegion(regionCodes[i]);
                    if (metadata == null) return null;
                    regions[i] = new Region(metadata);
                }
                return new CallingCode(regions);
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
            private readonly Pattern _general;
            private readonly Pattern[] _types;

            public Region(PhoneMetadata metadata)
            {
                if (metadata.HasLeadingDigits)
                {
                    // Most leading digits are plain digits or alternatives of them ("268", "787|939"): a prefix
                    // comparison answers those for a fraction of a regex match.
                    _leadingPrefixes = DigitAlternatives(metadata.LeadingDigits);
                    if (_leadingPrefixes == null) _leading = new Regex(@"\A(?:" + metadata.LeadingDigits + ")", Options);
                }
                GeneralHasPattern = metadata.GeneralDesc.HasNationalNumberPattern;
                _general = new Pattern(metadata.GeneralDesc);
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
                    var pattern = new Pattern(description);
                    if (pattern.CanMatch && !types.Any(t => t.SameAs(pattern))) types.Add(pattern);
                }
                _types = types.ToArray();
            }

            private readonly string[]? _leadingPrefixes;
            private readonly Regex? _leading;

            public bool HasLeadingDigits => _leadingPrefixes != null || _leading != null;

            public bool LeadingDigitsMatch(string nsn)
            {
                if (_leading != null) return _leading.IsMatch(nsn);
                foreach (string prefix in _leadingPrefixes!)
                {
                    if (nsn.StartsWith(prefix, StringComparison.Ordinal)) return true;
                }
                return false;
            }

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
            private readonly Regex? _regex;

            public Pattern(PhoneNumberDesc description)
            {
                _lengths = description.PossibleLengthList.ToArray();
                _text = description.NationalNumberPattern ?? string.Empty;
                _regex = _text.Length == 0 ? null : new Regex(@"\A(?:" + _text + @")\z", Options);
            }

            public bool CanMatch => _regex != null;

            public bool SameAs(Pattern other) => _text == other._text && _lengths.SequenceEqual(other._lengths);

            public bool Matches(string nsn) =>
                _regex != null && (_lengths.Length == 0 || Array.IndexOf(_lengths, nsn.Length) >= 0) && _regex.IsMatch(nsn);
        }

        private const RegexOptions Options = RegexOptions.CultureInvariant;
    }
}
