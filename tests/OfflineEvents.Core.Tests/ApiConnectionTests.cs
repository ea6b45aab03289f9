using System;
using OfflineEvents.Core.Api;
using Xunit;

namespace OfflineEvents.Core.Tests;

public class ApiConnectionTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5080", "http://127.0.0.1:5080/open_api/v1.3/")]
    [InlineData("http://localhost:5080/", "http://localhost:5080/open_api/v1.3/")]
    [InlineData("https://business-api.tiktok.com/open_api/v1.3", "https://business-api.tiktok.com/open_api/v1.3/")]
    [InlineData("https://sandbox-ads.tiktok.com/open_api/v1.3/", "https://sandbox-ads.tiktok.com/open_api/v1.3/")]
    [InlineData("http://[::1]:9000/x?y=1", "http://[::1]:9000/x/open_api/v1.3/")]
    public void Base_uri_is_normalized_to_the_api_root_with_a_trailing_slash(string input, string expected) =>
        Assert.Equal(expected, ApiConnection.NormalizeBaseUri(new Uri(input)).ToString());

    [Theory]
    [InlineData("http://business-api.tiktok.com/")]
    [InlineData("http://10.1.2.3:5080/")]
    [InlineData("ftp://127.0.0.1/")]
    public void Plain_http_is_refused_except_to_loopback(string input)
    {
        var ex = Assert.Throws<ArgumentException>(() => ApiConnection.NormalizeBaseUri(new Uri(input)));
        Assert.Contains("https", ex.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("70000abc")]
    [InlineData("7.0e18")]
    [InlineData("-7000000000000000001")]
    public void Advertiser_id_must_be_digits(string id) =>
        Assert.Throws<ArgumentException>(() => ApiConnection.ValidateAdvertiserId(id));

    [Fact]
    public void Advertiser_id_is_trimmed_and_kept_as_exact_text() =>
        Assert.Equal("7000000000000000001", ApiConnection.ValidateAdvertiserId(" 7000000000000000001 "));

    [Fact]
    public void Token_never_shows_in_ToString_and_round_trips_for_the_header()
    {
        var token = AccessToken.FromPlainText("  secret-token-value ");
        Assert.Equal("********", token.ToString());
        Assert.DoesNotContain("secret", $"{token}");
        Assert.Equal("secret-token-value", token.Reveal());
    }

    [Fact]
    public void Empty_token_is_refused() => Assert.Throws<ArgumentException>(() => AccessToken.FromPlainText("  "));

    [Fact]
    public void Retry_settings_reject_impossible_values()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetrySettings(maxRetries: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetrySettings(attemptTimeout: TimeSpan.Zero));
    }

    [Theory]
    [InlineData(0, ApiErrorKind.Unknown, false)]
    [InlineData(40001, ApiErrorKind.PermissionDenied, false)]
    [InlineData(40002, ApiErrorKind.InvalidRequest, false)]
    [InlineData(40007, ApiErrorKind.NotFound, false)]
    [InlineData(40061, ApiErrorKind.BatchTooLarge, false)]
    [InlineData(40062, ApiErrorKind.PiiNotHashed, false)]
    [InlineData(40100, ApiErrorKind.RateLimited, true)]
    [InlineData(40132, ApiErrorKind.RateLimited, true)]
    [InlineData(40102, ApiErrorKind.Authentication, false)]
    [InlineData(40104, ApiErrorKind.Authentication, false)]
    [InlineData(40105, ApiErrorKind.Authentication, false)]
    [InlineData(41001, ApiErrorKind.EndpointRetired, false)]
    [InlineData(50000, ApiErrorKind.ServerError, true)]
    [InlineData(50002, ApiErrorKind.ServerError, true)]
    [InlineData(51050, ApiErrorKind.ServerError, true)]
    [InlineData(52204, ApiErrorKind.ServerError, true)]
    [InlineData(52205, ApiErrorKind.Unknown, false)]
    [InlineData(60001, ApiErrorKind.Maintenance, true)]
    [InlineData(61000, ApiErrorKind.Maintenance, true)]
    public void Error_codes_map_to_kinds_and_retry_decisions(int code, ApiErrorKind kind, bool retryable)
    {
        Assert.Equal(kind, ApiErrorCodes.Classify(code));
        Assert.Equal(retryable, ApiErrorCodes.IsRetryable(kind));
    }
}
