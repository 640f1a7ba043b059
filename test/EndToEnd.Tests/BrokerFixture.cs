using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests;

/// <summary>
/// One broker shared by the tests of a class (xUnit class fixture): they run one after another and keep
/// out of each other's way with their own topics and client ids. Subclasses start it with other settings.
/// </summary>
public class BrokerFixture : IAsyncLifetime
{
    public BrokerProcess Broker { get; private set; } = null!;

    /// <summary>Extra command-line arguments for the node, such as "--Bifro:Mqtt:ConnectTimeout=00:00:02".</summary>
    protected virtual string[] Arguments => [];

    public async Task InitializeAsync() => Broker = await BrokerProcess.StartAsync(null, Arguments);

    public async Task DisposeAsync() => await Broker.DisposeAsync();
}
