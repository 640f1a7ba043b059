using Bifro.EndToEnd.Tests.Clients;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests.WithPaho;

/// <summary>
/// A broker stopped or restarted under connected and offline clients. A broker per test (IAsyncLifetime on the
/// test class), since each test stops it.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class PahoRestartTests : IAsyncLifetime
{
    private BrokerProcess _broker = null!;

    public async Task InitializeAsync() => _broker = await BrokerProcess.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact(Timeout = 90_000)]
    public async Task Shutdown_ClientConnected_GetsDisconnect0x8B()
    {
        await using var client = Paho.Start(_broker, "disconnects.py", "server_shutdown");
        try
        {
            await client.WaitForLineAsync("READY", Paho.ScenarioTimeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail(Paho.Describe("disconnects.py", "server_shutdown", client.Output, _broker));
        }

        var stopped = await _broker.StopAsync();
        var exitCode = await client.WaitForExitAsync(Paho.ScenarioTimeout);

        Assert.True(exitCode == 0, Paho.Describe("disconnects.py", "server_shutdown", client.Output, _broker));
        Assert.Equal(0, stopped);
    }

    [Fact(Timeout = 120_000)]
    public async Task Restart_PersistentSessionWithSubscription_SubscriptionSurvives()
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        await Paho.AssertScenarioAsync(_broker, "sessions.py", "restart_prepare_subscription", "--id", id);

        await _broker.RestartAsync();

        await Paho.AssertScenarioAsync(_broker, "sessions.py", "restart_verify_subscription", "--id", id);
    }

    [Fact(Timeout = 120_000)]
    public async Task Restart_MessagesQueuedForOfflineSession_DeliveredAfterRestart()
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        await Paho.AssertScenarioAsync(_broker, "sessions.py", "restart_prepare_queued", "--id", id);

        await _broker.RestartAsync();

        await Paho.AssertScenarioAsync(_broker, "sessions.py", "restart_verify_queued", "--id", id);
    }
}
