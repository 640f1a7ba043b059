namespace Bifro.EndToEnd.Tests;

/// <summary>A broker whose persistent sessions keep at most 5 offline messages, and which logs session expiry.</summary>
public sealed class PersistentSessionBrokerFixture : BrokerFixture
{
    public const int MaxOfflineMessages = 5;

    protected override string[] Arguments =>
    [
        $"--Bifro:Mqtt:MaxOfflineMessages={MaxOfflineMessages}",
        "--Logging:LogLevel:Bifro.Grains.Session=Debug",
    ];
}
