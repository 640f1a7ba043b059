namespace Bifro.EndToEnd.Tests;

/// <summary>A broker with a 2-second CONNECT timeout and a 1 KiB Maximum Packet Size.</summary>
public sealed class BadInputBrokerFixture : BrokerFixture
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    public const int MaxPacketSize = 1024;

    protected override string[] Arguments =>
    [
        "--Bifro:Mqtt:ConnectTimeout=00:00:02",
        $"--Bifro:Mqtt:MaxPacketSize={MaxPacketSize}",
    ];
}
