using System;
using System.Collections.Generic;
using System.Linq;
using PhoneNumbers;

namespace OfflineEvents.Core.Pii
{
    /// <summary>
    /// Normalizes and hashes email, phone and external id exactly as TikTok documents (shared doc §6):
    /// email trimmed and lowercased; phone in E.164 with the leading +; external id trimmed; SHA-256 hex.
    /// 64-hex values pass through lowercased; blanks stay blank; anything that cannot be normalized is
    /// reported and never hashed as-is. Thread-safe: one instance can serve parallel work.
    /// </summary>
    public sealed class PiiNormalizer
    {
        private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();
        private static readonly Lazy<HashSet<string>> Regions = new Lazy<HashSet<string>>(
            () => new HashSet<string>(Phones.GetSupportedRegions(), StringComparer.OrdinalIgnoreCase));

        public PiiNormalizer(string? defaultRegion = null)
        {
            if (!string.IsNullOrWhiteSpace(defaultRegion))
            {
                DefaultRegion = NormalizeRegion(defaultRegion)
                    ?? throw new ArgumentException($"'{defaultRegion}' is not a region libphonenumber knows. Use an ISO 3166 two-letter code such as US, GB or DE.", nameof(defaultRegion));
            }
        }

        /// <summary>The region national phone numbers belong to when a row names none.</summary>
        public string? DefaultRegion { get; }

        /// <summary>Every region code phone numbers can be parsed for, sorted.</summary>
        public static IReadOnlyList<string> SupportedRegions => Regions.Value.OrderBy(r => r, StringComparer.Ordinal).ToList();

        /// <summary>Uppercases a two-letter region; accepts UK for GB. Null when unknown.</summary>
        public static string? NormalizeRegion(string? region)
        {
            if (region == null) return null;
            string r = region.Trim().ToUpperInvariant();
            if (r == "UK") r = "GB";
            return r.Length == 2 && Regions.Value.Contains(r) ? r : null;
        }

        public PiiResult Normalize(PiiField field, string? value, string? region = null) => field switch
        {
            PiiField.Email => Email(value),
            PiiField.Phone => Phone(value, region),
            _ => ExternalId(value),
        };

        /// <summary>The same rules as <see cref="Normalize"/>, without computing the hash (Value is null): for checks.</summary>
        public PiiResult Validate(PiiField field, string? value, string? region = null) => field switch
        {
            PiiField.Email => Email(value, hash: false),
            PiiField.Phone => Phone(value, region, hash: false),
            _ => ExternalId(value, hash: false),
        };

        public PiiResult Email(string? value) => Email(value, hash: true);

        private PiiResult Email(string? value, bool hash)
        {
            if (value == null) return new PiiResult(PiiOutcome.Blank, null);
            string s = value.Trim();
            if (s.Length == 0) return new PiiResult(PiiOutcome.Blank, null);
            if (IsMisdecoded(s)) return Invalid(PiiRules.TextMisdecoded, MisdecodedReason, PiiMask.Email(s));
            if (Sha256Hex.IsHash(s)) return new PiiResult(PiiOutcome.PassedThrough, Sha256Hex.LowerHash(s));
            if (LooksLikeOtherHash(s, out string algorithm))
            {
                return Invalid(PiiRules.HashNotSha256, $"looks like {algorithm}, not SHA-256; TikTok needs SHA-256 of the normalized value", "(hash)");
            }
            s = Unwrap(s);
            if (s.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)) s = s.Substring(7).Trim();
            s = ToLower(s);
            string? problem = EmailProblem(s);
            return problem == null
                ? new PiiResult(PiiOutcome.Hashed, hash ? Sha256Hex.Hash(s) : null)
                : Invalid(PiiRules.EmailInvalid, problem, PiiMask.Email(s));
        }

        public PiiResult Phone(string? value, string? region = null) => Phone(value, region, hash: true);

        // What call-center systems and CRMs write where a caller withheld the number: no phone, as an empty cell is
        // (a row with nothing else is Unidentified, not a reject). Any other text without a number stays PhoneInvalid.
        private static readonly HashSet<string> WithheldCaller = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "anonymous", "withheld", "private", "private number", "restricted", "unknown", "unavailable", "blocked", "no caller id",
        };

        /// <summary>Whether a phone value is what systems write for a withheld number (no phone at all).</summary>
        public static bool IsWithheldCaller(string value) => WithheldCaller.Contains(value.Trim());

        private PiiResult Phone(string? value, string? region, bool hash)
        {
            if (value == null) return new PiiResult(PiiOutcome.Blank, null);
            string s = value.Trim();
            if (s.Length == 0 || WithheldCaller.Contains(s)) return new PiiResult(PiiOutcome.Blank, null);
            if (IsMisdecoded(s)) return Invalid(PiiRules.TextMisdecoded, MisdecodedReason, PiiMask.Phone(s));
            if (Sha256Hex.IsHash(s)) return new PiiResult(PiiOutcome.PassedThrough, Sha256Hex.LowerHash(s));
            if (LooksLikeOtherHash(s, out string algorithm))
            {
                return Invalid(PiiRules.HashNotSha256, $"looks like {algorithm}, not SHA-256; TikTok needs SHA-256 of the E.164 number", "(hash)");
            }
            s = Unwrap(s);
            // A row's region that is no region code (a sales region such as 'West', a dialling code) leaves -DefaultRegion in force.
            string? rowRegion = region == null ? DefaultRegion : NormalizeRegion(region) ?? DefaultRegion;
            bool plus = StartsWithPlus(s);
            if (!plus && rowRegion == null && s.StartsWith("00", StringComparison.Ordinal))
            {
                // With no region to say which international prefix applies, 00 (used by most countries) means +.
                s = "+" + s.Substring(2);
                plus = true;
            }
            if (!plus && rowRegion == null)
            {
                string why = region != null
                    ? $"is a national number and the row's region '{region.Trim()}' is not a known region code"
                    : "is a national number with no region: give a default region (e.g. -DefaultRegion US) or a region column";
                return Invalid(PiiRules.PhoneNeedsRegion, why, PiiMask.Phone(s));
            }

            PhoneNumber number;
            try
            {
                number = plus ? Phones.Parse(s, null) : Phones.ParseAndKeepRawInput(s, rowRegion);
            }
            catch (NumberParseException ex)
            {
                return Invalid(PiiRules.PhoneInvalid, ParseProblem(ex.ErrorType), PiiMask.Phone(s));
            }
            bool regionAdded = !plus && number.CountryCodeSource == PhoneNumber.Types.CountryCodeSource.FROM_DEFAULT_COUNTRY;
            // libphonenumber's IsValidNumber, answered from its own metadata by digit automata (PhoneValidity says why).
            if (!PhoneValidity.IsValid(Phones, number, Phones.GetNationalSignificantNumber(number)))
            {
                string where = plus ? "for its country code +" + number.CountryCode : "for region " + rowRegion;
                return Invalid(PiiRules.PhoneInvalid, "is not a valid phone number " + where, PiiMask.Phone(plus ? s : "+" + number.CountryCode + number.NationalNumber, number.CountryCode));
            }
            string? digest = hash ? Sha256Hex.Hash(Phones.Format(number, PhoneNumberFormat.E164)) : null;
            return new PiiResult(regionAdded ? PiiOutcome.RegionAdded : PiiOutcome.Hashed, digest);
        }

        public PiiResult ExternalId(string? value) => ExternalId(value, hash: true);

        private PiiResult ExternalId(string? value, bool hash)
        {
            if (value == null) return new PiiResult(PiiOutcome.Blank, null);
            string s = value.Trim();
            if (s.Length == 0) return new PiiResult(PiiOutcome.Blank, null);
            if (IsMisdecoded(s)) return Invalid(PiiRules.TextMisdecoded, MisdecodedReason, PiiMask.Opaque(s));
            return Sha256Hex.IsHash(s)
                ? new PiiResult(PiiOutcome.PassedThrough, Sha256Hex.LowerHash(s))
                : new PiiResult(PiiOutcome.Hashed, hash ? Sha256Hex.Hash(s) : null);
        }

        /// <summary>
        /// U+FFFD is what a decoder leaves for bytes it could not read: the value was mis-decoded before it came here
        /// (Import-Csv reads a Windows-1252 file as UTF-8), and its hash could never match the customer's.
        /// </summary>
        private static bool IsMisdecoded(string s) => s.IndexOf('\uFFFD') >= 0;

        private const string MisdecodedReason =
            "holds U+FFFD (a replacement character): the text was read in the wrong encoding, so its hash could never match. " +
            "Read the file in its own encoding: Import-Csv -Encoding windows-1252 (PowerShell 7; Windows PowerShell 5.1: -Encoding Default), " +
            "or -Path with -Encoding windows-1252";

        private static PiiResult Invalid(string rule, string reason, string masked) => new PiiResult(PiiOutcome.Invalid, null, rule, reason, masked);

        /// <summary>Exports sometimes wrap values in quotes or angle brackets ("Jo" &lt;jo@x.com&gt; is not handled: it is not one address).</summary>
        private static string Unwrap(string s)
        {
            while (s.Length >= 2 && ((s[0] == '"' && s[s.Length - 1] == '"') || (s[0] == '\'' && s[s.Length - 1] == '\'') || (s[0] == '<' && s[s.Length - 1] == '>')))
            {
                s = s.Substring(1, s.Length - 2).Trim();
            }
            return s;
        }

        private static string ToLower(string s)
        {
            foreach (char c in s)
            {
                if ((c >= 'A' && c <= 'Z') || c > '\u007f') return s.ToLowerInvariant();
            }
            return s;
        }

        private static bool StartsWithPlus(string s)
        {
            foreach (char c in s)
            {
                if (c == '+' || c == '\uff0b') return true;
                if (c != '(' && c != ' ' && c != '[') return false;
            }
            return false;
        }

        /// <summary>A practical syntax check (RFC 5321 lengths, no quoted local parts); null when the address is acceptable.</summary>
        internal static string? EmailProblem(string s)
        {
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                if (char.IsWhiteSpace(c) || char.IsControl(c)) return "contains spaces or control characters";
                if (c == ',' || c == ';' || c == '<' || c == '>' || c == '(' || c == ')' || c == '[' || c == ']' || c == '\\' || c == '"' || c == ':')
                {
                    return $"contains '{c}', which is not allowed in an address (two addresses in one cell?)";
                }
            }
            int at = s.IndexOf('@');
            if (at < 0) return "has no @";
            if (s.IndexOf('@', at + 1) >= 0) return "has more than one @";
            if (at == 0) return "has nothing before the @";
            if (at > 64) return "has more than 64 characters before the @";
            int domainLength = s.Length - at - 1;
            if (domainLength == 0) return "has nothing after the @";
            if (domainLength > 253) return "has a domain longer than 253 characters";
            if (s[0] == '.' || s[at - 1] == '.' || s.IndexOf("..", 0, at, StringComparison.Ordinal) >= 0) return "has a misplaced dot before the @";
            if (s.IndexOf('.', at + 1) < 0) return "has a domain without a dot";
            // The domain's labels, walked in place (this runs for every address).
            int tld = -1, tldLength = 0;
            for (int start = at + 1; start <= s.Length; start++)
            {
                int end = s.IndexOf('.', start);
                if (end < 0) end = s.Length;
                int length = end - start;
                if (length == 0) return "has an empty part in the domain (misplaced dot)";
                if (length > 63) return "has a domain part longer than 63 characters";
                if (s[start] == '-' || s[end - 1] == '-') return "has a domain part that starts or ends with '-'";
                for (int i = start; i < end; i++)
                {
                    char c = s[i];
                    if (!char.IsLetterOrDigit(c) && c != '-') return $"has '{c}' in the domain";
                }
                tld = start;
                tldLength = length;
                start = end;
            }
            bool allDigits = true;
            for (int i = tld; i < tld + tldLength; i++) allDigits &= char.IsDigit(s[i]);
            if (tldLength < 2 || allDigits) return "has no valid top-level domain";
            return null;
        }

        private static bool LooksLikeOtherHash(string s, out string algorithm)
        {
            algorithm = s.Length switch
            {
                32 => "an MD5 hash",
                40 => "a SHA-1 hash",
                128 => "a SHA-512 hash",
                _ => string.Empty,
            };
            if (algorithm.Length > 0 && Sha256Hex.IsHex(s)) return true;
            // Base64 of 32 bytes: a SHA-256 in the wrong encoding.
            if (s.Length == 44 && s[43] == '=' && s.IndexOf('@') < 0 && s.Take(43).All(c => char.IsLetterOrDigit(c) || c == '+' || c == '/'))
            {
                algorithm = "a base64-encoded hash";
                return true;
            }
            algorithm = string.Empty;
            return false;
        }

        private static string ParseProblem(ErrorType type) => type switch
        {
            ErrorType.INVALID_COUNTRY_CODE => "has an unknown country code",
            ErrorType.NOT_A_NUMBER => "is not a phone number",
            ErrorType.TOO_SHORT_AFTER_IDD => "is too short after the international prefix",
            ErrorType.TOO_SHORT_NSN => "is too short to be a phone number",
            ErrorType.TOO_LONG => "is too long to be a phone number",
            _ => "is not a phone number",
        };
    }
}
