using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests.Fixtures;

/// <summary>
/// One broker for all the tests of a class (xUnit class fixture); the tests use distinct client identifiers
/// and topics, so they do not see each other's sessions or messages.
/// </summary>
public class BrokerFixture : IAsyncLifetime
{
    private BrokerProcess? _broker;

    public BrokerProcess Broker => _broker ?? throw new InvalidOperationException("The broker has not started.");

    /// <summary>Extra node arguments, such as "--Bifro:Mqtt:TopicAliasMaximum=3".</summary>
    protected virtual string[] Arguments => [];

    public async Task InitializeAsync() => _broker = await BrokerProcess.StartAsync(null, Arguments);

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }
}

/// <summary>A broker with small, non-default limits, so that tests can tell configured values from defaults and reach them.</summary>
public sealed class LimitedBrokerFixture : BrokerFixture
{
    public const int TopicAliasMaximum = 3;
    public const int ReceiveMaximum = 2;
    public const int MaxPacketSize = 4096;
    public const int ServerKeepAlive = 3;
    public const int MaxSessionExpiryInterval = 120;

    /// <summary>What the scripts need to know about this broker.</summary>
    public static string[] ScenarioParameters => Clients.Paho.Parameters(
        ("topic_alias_max", TopicAliasMaximum),
        ("receive_max", ReceiveMaximum),
        ("max_packet_size", MaxPacketSize),
        ("server_keep_alive", ServerKeepAlive),
        ("max_session_expiry", MaxSessionExpiryInterval),
        // Every client must ping within the Server Keep Alive, which paho 1.6.1 ignores: tell it a shorter keep alive.
        ("keepalive", ServerKeepAlive - 1));

    protected override string[] Arguments =>
    [
        $"--Bifro:Mqtt:TopicAliasMaximum={TopicAliasMaximum}",
        $"--Bifro:Mqtt:ReceiveMaximum={ReceiveMaximum}",
        $"--Bifro:Mqtt:MaxPacketSize={MaxPacketSize}",
        $"--Bifro:Mqtt:ServerKeepAlive={ServerKeepAlive}",
        $"--Bifro:Mqtt:MaxSessionExpiryInterval={MaxSessionExpiryInterval}",
    ];
}
