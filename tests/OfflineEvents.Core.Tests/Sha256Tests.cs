using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using OfflineEvents.Core.Pii;
using Xunit;

namespace OfflineEvents.Core.Tests;

// Sha256Hex: the platform's SHA-256 (one instance per thread) as lowercase hex of the UTF-8 bytes.
public class Sha256Tests
{

    // FIPS 180-4 examples and the NIST short-message vectors.
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    [InlineData("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")]
    public void Nist_vectors(string message, string expected) =>
        Assert.Equal(expected, Sha256Hex.Hash(message));

    [Fact]
    public void One_million_a() =>
        Assert.Equal("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", Sha256Hex.Hash(new string('a', 1_000_000)));

    [Fact]
    public void Hex_form_matches_the_platform_for_unicode_text()
    {
        foreach (var text in new[] { "alice_abc@gmail.com", "+442071838750", "jürgen.müller@bücher.de", "用户@例子.广告", "😀" })
        {
            Assert.Equal(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant(), Sha256Hex.Hash(text));
        }
    }

    [Fact]
    public void Threads_hashing_at_once_agree()
    {
        var expected = Enumerable.Range(0, 2000).Select(i => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"user{i}@example.com"))).ToLowerInvariant()).ToArray();
        Parallel.For(0, 4, _ =>
        {
            for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], Sha256Hex.Hash($"user{i}@example.com"));
        });
    }
}
