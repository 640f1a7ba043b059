using Bifro.EndToEnd.Tests.Clients;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests;

[Trait("Category", "EndToEnd")]
public sealed class PublishSubscribeTests : IAsyncLifetime
{
    private BrokerProcess _broker = null!;

    public async Task InitializeAsync() => _broker = await BrokerProcess.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Theory(Timeout = 60_000)]
    [InlineData("31", "0")]
    [InlineData("311", "1")]
    [InlineData("311", "2")]
    [InlineData("5", "0")]
    [InlineData("5", "1")]
    [InlineData("5", "2")]
    public async Task Publish_EachVersionAndQoS_ReachesSubscriber(string version, string qos)
    {
        var topic = $"e2e/{version}/{qos}";
        await using var subscriber = await Mosquitto.StartSubscriberAsync(_broker, version, "-t", topic, "-q", qos, "-v", "-C", "1");

        var published = await Mosquitto.PublishAsync(_broker, version, "-t", topic, "-m", "hello", "-q", qos);

        Assert.True(published.ExitCode == 0, published.ToString());
        Assert.Equal(0, await subscriber.WaitForExitAsync(Mosquitto.DefaultTimeout));
        Assert.Contains($"{topic} hello", Mosquitto.Messages(subscriber));
    }
}
