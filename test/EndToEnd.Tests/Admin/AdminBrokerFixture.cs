using System.Globalization;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests.Admin;

/// <summary>A broker with its admin API on a free loopback port, behind a bearer token.</summary>
public sealed class AdminBrokerFixture : IAsyncLifetime
{
    public const string Token = "test-admin-token-0123456789";

    public BrokerProcess Broker { get; private set; } = null!;

    public int AdminPort { get; } = FreePort.Next();

    public string Url => $"http://127.0.0.1:{AdminPort.ToString(CultureInfo.InvariantCulture)}";

    public async Task InitializeAsync() => Broker = await BrokerProcess.StartAsync(null,
        "--Bifro:Admin:Enabled=true",
        $"--Bifro:Admin:Endpoint=127.0.0.1:{AdminPort.ToString(CultureInfo.InvariantCulture)}",
        $"--Bifro:Admin:Tokens:0={Token}");

    public async Task DisposeAsync()
    {
        if (Broker is not null)
        {
            await Broker.DisposeAsync();
        }
    }
}
