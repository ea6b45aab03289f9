using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using OfflineEvents.Core.Pii;
using Xunit;

namespace OfflineEvents.Core.Tests;

public class PiiNormalizerTests
{
    private static readonly PiiNormalizer NoRegion = new();

    private static string Sha(string s) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(s))).ToLowerInvariant();

    // TikTok's own examples (shared doc §6).
    [Fact]
    public void TikTok_email_vector() =>
        Assert.Equal("848a771458438fc2ec420560d769fb9b9b86851ee338ec56517baabd79d3bb4f", NoRegion.Email(" ALICE_abc@gmail.com ").Value);

    [Fact]
    public void TikTok_phone_vector()
    {
        var r = NoRegion.Phone("(+1)2133734253");
        Assert.Equal(PiiOutcome.Hashed, r.Outcome);
        Assert.Equal("9f7ec22d72092cd3c0b58726ed9c2d91b92e51a3f29837508fb2948bb22dd2fd", r.Value);
    }

    [Fact]
    public void TikTok_external_id_vector() =>
        Assert.Equal("80fba0ae1c48e3978e43e4efc365e14e12ea0c830ba8ba5b9a2dafc7e3f2ab8b", NoRegion.ExternalId(" user_123 ").Value);

    [Theory]
    // input, expected normalized text
    [InlineData("John.Doe@Example.com ", "john.doe@example.com")]
    [InlineData("\u00a0\tJOHN@EXAMPLE.COM\r\n", "john@example.com")]
    [InlineData("\"john@example.com\"", "john@example.com")]
    [InlineData("'john@example.com'", "john@example.com")]
    [InlineData("<john@example.com>", "john@example.com")]
    [InlineData("mailto:John@Example.com", "john@example.com")]
    [InlineData("jane+shop1@gmail.com", "jane+shop1@gmail.com")] // no Gmail plus/dot rewriting (C)
    [InlineData("j.a.n.e@gmail.com", "j.a.n.e@gmail.com")]
    [InlineData("JOSÉ.Müller@Bücher.DE", "josé.müller@bücher.de")]
    [InlineData("ÉLODIE@exemple.fr", "élodie@exemple.fr")]
    [InlineData("用户@例子.中国", "用户@例子.中国")]
    [InlineData("o'brien@example.ie", "o'brien@example.ie")]
    [InlineData("x@sub.domain.co.uk", "x@sub.domain.co.uk")]
    [InlineData("x@xn--bcher-kva.de", "x@xn--bcher-kva.de")]
    [InlineData("x@a-b.c-d.io", "x@a-b.c-d.io")]
    [InlineData("x@host.1a", "x@host.1a")]
    public void Emails_are_trimmed_unwrapped_lowercased_then_hashed(string input, string normalized)
    {
        var r = NoRegion.Email(input);
        Assert.Equal(PiiOutcome.Hashed, r.Outcome);
        Assert.Equal(Sha(normalized), r.Value);
    }

    [Theory]
    [InlineData("john.example.com", "has no @")]
    [InlineData("john@@example.com", "more than one @")]
    [InlineData("@example.com", "nothing before")]
    [InlineData("john@", "nothing after")]
    [InlineData("john@example", "without a dot")]
    [InlineData("john@example.c", "top-level")]
    [InlineData("john doe@example.com", "spaces")]
    [InlineData("a@x.com;b@y.com", "';'")]
    [InlineData("a@x.com, b@y.com", "','")]
    [InlineData("john..doe@example.com", "misplaced dot")]
    [InlineData(".john@example.com", "misplaced dot")]
    [InlineData("john@example..com", "empty part")]
    [InlineData("john@-example.com", "starts or ends")]
    [InlineData("john@exa_mple.com", "'_'")]
    [InlineData("john@1.23", "top-level")]
    [InlineData("n/a", "has no @")]
    [InlineData("john@-example", "without a dot")]
    [InlineData("john@.example.com", "empty part")]
    [InlineData("john@example.com.", "empty part")]
    [InlineData("john@example.com-", "starts or ends")]
    [InlineData("john@example-.com", "starts or ends")]
    [InlineData("john@example.com.c", "top-level")]
    [InlineData("john@example!.com", "'!'")]
    [InlineData("john@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com", "longer than 63")]
    public void Bad_emails_are_invalid_with_a_reason_and_never_hashed(string input, string reasonPart)
    {
        var r = NoRegion.Email(input);
        Assert.Equal(PiiOutcome.Invalid, r.Outcome);
        Assert.Equal(PiiRules.EmailInvalid, r.Rule);
        Assert.Null(r.Value);
        Assert.Contains(reasonPart, r.Reason);
    }

    [Fact]
    public void Too_long_local_part_is_invalid() =>
        Assert.Contains("64", NoRegion.Email(new string('a', 65) + "@example.com").Reason);

    [Theory]
    [InlineData("848A771458438FC2EC420560D769FB9B9B86851EE338EC56517BAABD79D3BB4F", "848a771458438fc2ec420560d769fb9b9b86851ee338ec56517baabd79d3bb4f")]
    [InlineData(" 848a771458438fc2ec420560d769fb9b9b86851ee338ec56517baabd79d3bb4f ", "848a771458438fc2ec420560d769fb9b9b86851ee338ec56517baabd79d3bb4f")]
    public void Hashes_pass_through_lowercased_for_every_field(string input, string expected)
    {
        foreach (PiiField field in Enum.GetValues<PiiField>())
        {
            var r = NoRegion.Normalize(field, input);
            Assert.Equal(PiiOutcome.PassedThrough, r.Outcome);
            Assert.Equal(expected, r.Value);
        }
    }

    [Theory]
    [InlineData("5d41402abc4b2a76b9719d911017c592", "MD5")]
    [InlineData("aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d", "SHA-1")]
    [InlineData("ZBt0a5lM0gAmtpIJJUrO+79oEkS0zIUzTbRCCnuoGeI=", "base64")]
    public void Other_hash_forms_are_caught_not_hashed_again(string input, string algorithm)
    {
        foreach (var field in new[] { PiiField.Email, PiiField.Phone })
        {
            var r = NoRegion.Normalize(field, input);
            Assert.Equal(PiiRules.HashNotSha256, r.Rule);
            Assert.Contains(algorithm, r.Reason);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\r\n")]
    public void Blanks_stay_blank(string? input)
    {
        foreach (PiiField field in Enum.GetValues<PiiField>())
        {
            var r = NoRegion.Normalize(field, input, "US");
            Assert.Equal(PiiOutcome.Blank, r.Outcome);
            Assert.Null(r.Value);
        }
    }

    [Theory]
    // input, region, E.164, outcome
    [InlineData("+12133734253", null, "+12133734253", PiiOutcome.Hashed)]
    [InlineData("+1 (213) 373-4253", null, "+12133734253", PiiOutcome.Hashed)]
    [InlineData("(213) 373-4253", "US", "+12133734253", PiiOutcome.RegionAdded)]
    [InlineData("213.373.4253", "US", "+12133734253", PiiOutcome.RegionAdded)]
    [InlineData("213-373-4253", "us", "+12133734253", PiiOutcome.RegionAdded)]
    [InlineData("1-213-373-4253", "US", "+12133734253", PiiOutcome.Hashed)] // the 1 is the country code, from the number
    [InlineData("011 44 20 7946 0958", "US", "+442079460958", PiiOutcome.Hashed)]
    [InlineData("213 373 4253 ext. 12", "US", "+12133734253", PiiOutcome.RegionAdded)]
    [InlineData("+1 213 373 4253 x12", null, "+12133734253", PiiOutcome.Hashed)]
    [InlineData("1-800-FLOWERS", "US", "+18003569377", PiiOutcome.Hashed)]
    [InlineData("020 7946 0958", "GB", "+442079460958", PiiOutcome.RegionAdded)]
    [InlineData("07911 123456", "GB", "+447911123456", PiiOutcome.RegionAdded)]
    [InlineData("07911 123456", "UK", "+447911123456", PiiOutcome.RegionAdded)]
    [InlineData("0044 20 7946 0958", "GB", "+442079460958", PiiOutcome.Hashed)]
    [InlineData("0044 20 7946 0958", null, "+442079460958", PiiOutcome.Hashed)]
    [InlineData("+44 (0)20 7946 0958", null, "+442079460958", PiiOutcome.Hashed)]
    [InlineData("+49 (0)30 901820", null, "+4930901820", PiiOutcome.Hashed)]
    [InlineData("030 901820", "DE", "+4930901820", PiiOutcome.RegionAdded)]
    [InlineData("0151 23456789", "DE", "+4915123456789", PiiOutcome.RegionAdded)]
    [InlineData("01 23 45 67 89", "FR", "+33123456789", PiiOutcome.RegionAdded)]
    [InlineData("06.12.34.56.78", "FR", "+33612345678", PiiOutcome.RegionAdded)]
    [InlineData("+33 6 12 34 56 78", "DE", "+33612345678", PiiOutcome.Hashed)]
    [InlineData("098765 43210", "IN", "+919876543210", PiiOutcome.RegionAdded)]
    [InlineData("+91 98765-43210", null, "+919876543210", PiiOutcome.Hashed)]
    [InlineData("(11) 96123-4567", "BR", "+5511961234567", PiiOutcome.RegionAdded)]
    [InlineData("+55 11 96123 4567", null, "+5511961234567", PiiOutcome.Hashed)]
    [InlineData("090-1234-5678", "JP", "+819012345678", PiiOutcome.RegionAdded)]
    [InlineData("03-1234-5678", "JP", "+81312345678", PiiOutcome.RegionAdded)]
    [InlineData("138 0013 8000", "CN", "+8613800138000", PiiOutcome.RegionAdded)]
    [InlineData("+86 10 1234 5678", null, "+861012345678", PiiOutcome.Hashed)]
    [InlineData("＋１ ２１３ ３７３ ４２５３", null, "+12133734253", PiiOutcome.Hashed)]
    public void Phones_are_formatted_E164_with_plus_then_hashed(string input, string? region, string e164, PiiOutcome outcome)
    {
        var r = new PiiNormalizer(region == null ? null : "US").Phone(input, region);
        if (region == null) r = NoRegion.Phone(input);
        Assert.True(r.Outcome == outcome, $"{input} [{region}]: {r.Outcome} {r.Reason}");
        Assert.Equal(Sha(e164), r.Value);
    }

    [Theory]
    [InlineData("(213) 373-4253", null, PiiRules.PhoneNeedsRegion, "no region")]
    [InlineData("2133734253", "XX", PiiRules.PhoneNeedsRegion, "'XX' is not a known region")]
    [InlineData("555-0100", "US", PiiRules.PhoneInvalid, "not a valid")]
    [InlineData("(213) 373-42", "US", PiiRules.PhoneInvalid, "not a valid")]
    [InlineData("020 7946 095", "GB", PiiRules.PhoneInvalid, "not a valid")]
    [InlineData("+999 123456789", null, PiiRules.PhoneInvalid, "country code")]
    [InlineData("+1 123 456 7890", null, PiiRules.PhoneInvalid, "not a valid phone number for its country code +1")]
    [InlineData("call me maybe", "US", PiiRules.PhoneInvalid, "not a phone number")]
    [InlineData("12", "DE", PiiRules.PhoneInvalid, "")]
    [InlineData("123456789012345678901", "US", PiiRules.PhoneInvalid, "too long")]
    public void Bad_phones_are_invalid_with_a_reason_and_never_hashed(string input, string? region, string rule, string reasonPart)
    {
        var r = NoRegion.Phone(input, region);
        Assert.Equal(PiiOutcome.Invalid, r.Outcome);
        Assert.Equal(rule, r.Rule);
        Assert.Null(r.Value);
        Assert.Contains(reasonPart, r.Reason);
        Assert.DoesNotContain(new string(input.Where(char.IsDigit).ToArray()) is { Length: > 4 } d ? d : "\u0000never", r.Masked);
    }

    [Fact]
    public void Row_region_wins_over_the_default_region()
    {
        var n = new PiiNormalizer("US");
        Assert.Equal(Sha("+442079460958"), n.Phone("020 7946 0958", "GB").Value);
        Assert.Equal(Sha("+12133734253"), n.Phone("213 373 4253").Value);
    }

    // A withheld caller is no phone, as an empty cell is: the row is Unidentified unless it has an email.
    [Theory]
    [InlineData("Anonymous")]
    [InlineData(" WITHHELD ")]
    [InlineData("Private Number")]
    public void A_withheld_caller_is_no_phone(string value)
    {
        Assert.Equal(PiiOutcome.Blank, new PiiNormalizer("US").Phone(value).Outcome);
        Assert.Equal(PiiRules.PhoneInvalid, new PiiNormalizer("US").Phone("call me maybe").Rule);
    }

    // A Region column often holds a sales region or a dialling code, not an ISO code: the default then still applies.
    [Theory]
    [InlineData("West")]
    [InlineData("1")]
    [InlineData("XX")]
    public void A_row_region_that_is_no_region_code_leaves_the_default_region_in_force(string rowRegion)
    {
        Assert.Equal(Sha("+12133734253"), new PiiNormalizer("US").Phone("(213) 373-4253", rowRegion).Value);
        Assert.Equal(PiiRules.PhoneNeedsRegion, NoRegion.Phone("(213) 373-4253", rowRegion).Rule);
    }

    [Fact]
    public void Unknown_default_region_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => new PiiNormalizer("Narnia"));
        Assert.Contains("two-letter", ex.Message);
    }

    [Theory]
    [InlineData("john.doe@example.com", "j***@e***.com")]
    [InlineData("john.doe@", "j***@***")]
    [InlineData("johndoe", "j***")]
    public void Emails_are_masked(string input, string masked) => Assert.Equal(masked, PiiMask.Email(input));

    [Theory]
    [InlineData("+44 20 7946 0958", 44, "+44 •••• •••958")]
    [InlineData("(213) 373-4253", 0, "•••• •••253")]
    [InlineData("12", 0, "••")]
    public void Phones_are_masked(string input, int cc, string masked) => Assert.Equal(masked, PiiMask.Phone(input, cc));

    [Fact]
    public void Invalid_results_never_carry_the_plaintext()
    {
        var r = NoRegion.Email("john.doe@example");
        Assert.DoesNotContain("john.doe", r.Masked + r.Reason);
        Assert.DoesNotContain("example", r.Masked + r.Reason);
    }

    [Theory]
    [InlineData(PiiField.Email, "Jo@Example.com")]
    [InlineData(PiiField.Phone, "(213) 373-4253")]
    [InlineData(PiiField.Phone, "555-0100")]
    [InlineData(PiiField.Email, "jo@example")]
    [InlineData(PiiField.ExternalId, "u1")]
    public void Validate_gives_the_outcome_of_Normalize_without_the_hash(PiiField field, string value)
    {
        var n = new PiiNormalizer("US");
        var full = n.Normalize(field, value);
        var check = n.Validate(field, value);
        Assert.Equal(full.Outcome, check.Outcome);
        Assert.Equal(full.Rule, check.Rule);
        Assert.Equal(full.Reason, check.Reason);
        Assert.Null(check.Value);
    }

    [Fact]
    public void Sha256_is_safe_across_threads()
    {
        var inputs = Enumerable.Range(0, 2000).Select(i => $"user{i}@example.com").ToArray();
        var parallel = inputs.AsParallel().Select(i => NoRegion.Email(i).Value).ToArray();
        Assert.Equal(inputs.Select(Sha), parallel);
    }
}

public class PhoneValidityTests
{
    private static readonly PhoneNumbers.PhoneNumberUtil Util = PhoneNumbers.PhoneNumberUtil.GetInstance();

    private static void AssertAgrees(PhoneNumbers.PhoneNumber number) =>
        Assert.True(Util.IsValidNumber(number) == PhoneValidity.IsValid(Util, number, Util.GetNationalSignificantNumber(number)),
            $"+{number.CountryCode} {Util.GetNationalSignificantNumber(number)}: libphonenumber says {Util.IsValidNumber(number)}");

    [Fact]
    public void Agrees_with_libphonenumber_on_every_NANP_area_code()
    {
        var random = new Random(11);
        for (long npa = 100; npa < 1000; npa++)
        {
            for (int i = 0; i < 40; i++)
            {
                long rest = i < 10 ? i * 1_111_111L % 10_000_000 : random.Next(0, 10_000_000);
                AssertAgrees(new PhoneNumbers.PhoneNumber.Builder().SetCountryCode(1).SetNationalNumber((ulong)(npa * 10_000_000 + rest)).Build());
            }
        }
        // Other lengths: too short, too long, seven-digit local numbers.
        foreach (ulong n in new ulong[] { 2133734, 21337342530, 213373425301, 12, 800 }) AssertAgrees(new PhoneNumbers.PhoneNumber.Builder().SetCountryCode(1).SetNationalNumber(n).Build());
    }

    [Fact]
    public void Agrees_with_libphonenumber_on_every_calling_code()
    {
        // Each region's example numbers, and random digits of each possible length, some after a leading zero.
        var random = new Random(5);
        int checkedNumbers = 0;
        foreach (string region in Util.GetSupportedRegions())
        {
            var metadata = Util.GetMetadataForRegion(region);
            int code = metadata.CountryCode;
            var descriptions = new[] { metadata.GeneralDesc, metadata.FixedLine, metadata.Mobile, metadata.TollFree, metadata.PremiumRate, metadata.SharedCost, metadata.Voip, metadata.PersonalNumber, metadata.Pager, metadata.Uan, metadata.Voicemail };
            var texts = descriptions.Where(d => d.HasExampleNumber).Select(d => d.ExampleNumber).ToList();
            foreach (int length in metadata.GeneralDesc.PossibleLengthList.Append(4).Append(18).Distinct())
            {
                for (int i = 0; i < 25; i++)
                {
                    var digits = new char[length];
                    for (int k = 0; k < length; k++) digits[k] = (char)('0' + random.Next(10));
                    if (i % 5 != 0 && digits[0] == '0') digits[0] = (char)('1' + random.Next(9));
                    texts.Add(new string(digits));
                }
            }
            foreach (string text in texts)
            {
                PhoneNumbers.PhoneNumber number;
                try { number = Util.Parse("+" + code + text, null); }
                catch (PhoneNumbers.NumberParseException) { continue; }
                AssertAgrees(number);
                checkedNumbers++;
            }
        }
        Assert.True(checkedNumbers > 20_000, $"only {checkedNumbers} numbers checked");
    }

    [Fact]
    public void Gives_the_same_answers_on_two_threads_at_once()
    {
        var numbers = Enumerable.Range(0, 20_000).Select(i => new PhoneNumbers.PhoneNumber.Builder().SetCountryCode(i % 3 == 0 ? 44 : 1).SetNationalNumber((ulong)(2_000_000_000L + i * 397_219L)).Build()).ToList();
        var expected = numbers.Select(n => Util.IsValidNumber(n)).ToList();
        var results = new bool[2][];
        System.Threading.Tasks.Parallel.For(0, 2, t => results[t] = numbers.Select(n => PhoneValidity.IsValid(Util, n, Util.GetNationalSignificantNumber(n))).ToArray());
        Assert.Equal(expected, results[0]);
        Assert.Equal(expected, results[1]);
    }
}


public class DigitPatternTests
{
    private static readonly PhoneNumbers.PhoneNumberUtil Util = PhoneNumbers.PhoneNumberUtil.GetInstance();

    [Theory]
    [InlineData("", "", true)]
    [InlineData("", "1", false)]
    [InlineData("1[2-4]\\d{2}", "1399", true)]
    [InlineData("1[2-4]\\d{2}", "1599", false)]
    [InlineData("1[2-4]\\d{2}", "139", false)]
    [InlineData("(?:12|3)4?5{1,2}", "35", true)]
    [InlineData("(?:12|3)4?5{1,2}", "12455", true)]
    [InlineData("(?:12|3)4?5{1,2}", "124555", false)]
    [InlineData("[013-5]", "2", false)]
    [InlineData("[013-5]", "4", true)]
    public void Matches_whole_strings(string pattern, string text, bool expected) =>
        Assert.Equal(expected, DigitPattern.TryCompile(pattern)!.Matches(text));

    [Theory]
    [InlineData("(?:")]
    [InlineData("1[2-")]
    [InlineData("(?=1)2")]
    [InlineData("1*")]
    [InlineData("1{0}")]
    [InlineData("a")]
    public void Leaves_other_syntax_to_the_regex_engine(string pattern) => Assert.Null(DigitPattern.TryCompile(pattern));

    [Fact]
    public void Matches_prefixes_as_leading_digits_do()
    {
        var p = DigitPattern.TryCompile("268|8(?:0[01]|[2-9])")!;
        Assert.True(p.MatchesPrefix("2681234"));
        Assert.True(p.MatchesPrefix("801"));
        Assert.True(p.MatchesPrefix("83"));
        Assert.False(p.MatchesPrefix("802"));
        Assert.False(p.MatchesPrefix("26"));
        Assert.True(DigitPattern.TryCompile("")!.MatchesPrefix("5"));
    }

    /// <summary>
    /// Every pattern of libphonenumber's metadata compiles, and answers as the regex libphonenumber would use: on
    /// every example number, each one-digit change, truncation and extension of it, and random digits.
    /// </summary>
    [Fact]
    public void Agrees_with_the_regex_on_every_metadata_pattern()
    {
        var random = new Random(3);
        int compared = 0, matched = 0;
        foreach (string region in Util.GetSupportedRegions())
        {
            var metadata = Util.GetMetadataForRegion(region);
            var descriptions = new[] { metadata.GeneralDesc, metadata.FixedLine, metadata.Mobile, metadata.TollFree, metadata.PremiumRate, metadata.SharedCost, metadata.Voip, metadata.PersonalNumber, metadata.Pager, metadata.Uan, metadata.Voicemail };
            var examples = descriptions.Where(d => d.HasExampleNumber).Select(d => d.ExampleNumber).ToList();
            var texts = new List<string>();
            foreach (string example in examples)
            {
                texts.Add(example);
                texts.Add(example.Substring(0, example.Length - 1));
                texts.Add(example + random.Next(10));
                for (int i = 0; i < example.Length; i++)
                {
                    for (char d = '0'; d <= '9'; d++) texts.Add(example.Substring(0, i) + d + example.Substring(i + 1));
                }
            }
            for (int i = 0; i < 100; i++) texts.Add(string.Concat(Enumerable.Range(0, random.Next(1, 18)).Select(_ => (char)('0' + random.Next(10)))));
            var patterns = descriptions.Where(d => d.HasNationalNumberPattern).Select(d => (Text: d.NationalNumberPattern, Prefix: false)).ToList();
            if (metadata.HasLeadingDigits) patterns.Add((metadata.LeadingDigits, true));
            foreach (var (text, prefix) in patterns.Distinct())
            {
                var automaton = DigitPattern.TryCompile(text);
                Assert.True(automaton != null, $"{region}: '{text}' did not compile");
                var regex = new System.Text.RegularExpressions.Regex(prefix ? @"\A(?:" + text + ")" : @"\A(?:" + text + @")\z");
                foreach (string candidate in texts)
                {
                    bool expected = regex.IsMatch(candidate);
                    Assert.True(expected == (prefix ? automaton!.MatchesPrefix(candidate) : automaton!.Matches(candidate)),
                        $"{region}: '{text}' on {candidate}: the regex says {expected}");
                    compared++;
                    if (expected) matched++;
                }
            }
        }
        Assert.True(compared > 500_000 && matched > 20_000, $"{compared} compared, {matched} matches");
    }

    [Fact]
    public void Every_geographic_calling_code_is_answered_by_automata()
    {
        var codes = Util.GetSupportedCallingCodes().Where(c => Util.GetRegionCodeForCountryCode(c) != PhoneValidity.NonGeographicRegion).ToList();
        Assert.True(codes.Count > 200);
        Assert.Equal(string.Empty, string.Join(", ", codes.Where(c => !PhoneValidity.UsesAutomata(Util, c))));
    }
}
