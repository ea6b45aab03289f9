using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OfflineEvents.Core.Api;
using OfflineEvents.Core.EventSets;
using Xunit;

namespace OfflineEvents.Core.Tests;

public class EventSetClientTests : IClassFixture<SandboxHost>
{
    private readonly SandboxHost _sandbox;

    public EventSetClientTests(SandboxHost sandbox) => _sandbox = sandbox;

    [Fact]
    public async Task Create_get_update_delete_round_trip()
    {
        using var api = new BusinessApiClient(_sandbox.Connection());
        var client = new EventSetClient(api);
        var created = await client.CreateAsync("Stores " + Guid.NewGuid(), "POS export", autoTracking: true, CancellationToken.None);
        Assert.Matches(@"^\d{19}$", created.EventSetId);
        Assert.True(created.AutoTracking);
        Assert.Equal("POS export", created.Description);
        Assert.Equal(SandboxHost.Advertiser, created.AdvertiserId);
        Assert.NotNull(created.CreateTime);
        Assert.InRange(created.CreateTime!.Value, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(5));

        var byId = await client.GetAsync(new[] { created.EventSetId }, null, CancellationToken.None);
        Assert.Equal(created.Name, Assert.Single(byId).Name);

        var updated = await client.UpdateAsync(created.EventSetId, "Renamed", autoTracking: false, CancellationToken.None);
        Assert.Equal("Renamed", updated.Name);
        Assert.False(updated.AutoTracking);
        Assert.Equal("POS export", updated.Description);

        await client.DeleteAsync(created.EventSetId, CancellationToken.None);
        Assert.Empty(await client.GetAsync(new[] { created.EventSetId }, null, CancellationToken.None));
    }

    [Fact]
    public async Task Updating_or_deleting_a_missing_set_is_NotFound()
    {
        using var api = new BusinessApiClient(_sandbox.Connection());
        var client = new EventSetClient(api);
        var update = await Assert.ThrowsAsync<TikTokApiException>(() => client.UpdateAsync("7300000000000000999", "x", null, CancellationToken.None));
        Assert.Equal(ApiErrorKind.NotFound, update.Kind);
        Assert.Equal(40007, update.Code);
        var delete = await Assert.ThrowsAsync<TikTokApiException>(() => client.DeleteAsync("7300000000000000999", CancellationToken.None));
        Assert.Equal(ApiErrorKind.NotFound, delete.Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Empty_names_are_refused_before_any_call(string name)
    {
        using var api = new BusinessApiClient(_sandbox.Connection());
        long before = await _sandbox.RequestsAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => new EventSetClient(api).CreateAsync(name, null, true, CancellationToken.None));
        Assert.Equal(before, await _sandbox.RequestsAsync());
    }

    [Fact]
    public async Task Too_long_names_are_refused() 
    {
        using var api = new BusinessApiClient(_sandbox.Connection());
        await Assert.ThrowsAsync<ArgumentException>(() => new EventSetClient(api).CreateAsync(new string('x', 129), null, true, CancellationToken.None));
    }

    [Theory]
    [InlineData("C9ABCDEF")]
    [InlineData("12 34")]
    public void Pixel_codes_and_junk_are_not_event_set_ids(string id) =>
        Assert.Throws<ArgumentException>(() => EventSetClient.ValidateId(id));

    [Fact]
    public async Task Name_filter_is_passed_to_the_server()
    {
        using var api = new BusinessApiClient(_sandbox.Connection());
        var client = new EventSetClient(api);
        string tag = Guid.NewGuid().ToString("N");
        await client.CreateAsync("alpha-" + tag, null, false, CancellationToken.None);
        await client.CreateAsync("beta-" + tag, null, false, CancellationToken.None);
        var found = await client.GetAsync(null, "ALPHA-" + tag, CancellationToken.None);
        Assert.Equal("alpha-" + tag, Assert.Single(found).Name);
    }
}
