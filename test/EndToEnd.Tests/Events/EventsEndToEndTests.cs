using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bifro.EndToEnd.Tests.Clients;
using Bifro.EndToEnd.Tests.Fixtures;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests.Events;

/// <summary>Events from a real node, through the event streams, to collectors: the webhook, and a plugin that sleeps.</summary>
[Trait("Category", "EndToEnd")]
public sealed partial class EventsEndToEndTests
{
    [Fact(Timeout = 120_000)]
    public async Task ClientsConnectPublishAndLeave_WebhookGetsEachClientsEventsInOrder()
    {
        await using var receiver = new WebhookReceiver();
        await using var broker = await BrokerProcess.StartAsync(
            null,
            "--Bifro:Events:Collectors:0=webhook",
            $"--Bifro:Events:Webhook:Url={receiver.Url}",
            "--Bifro:Events:Webhook:BatchSize=7");
        var run = Guid.NewGuid().ToString("N")[..8];
        var clients = Enumerable.Range(0, 10).Select(i => $"ev-{run}-{i}").ToArray();

        var publishers = clients.Select(id => Mosquitto.PublishAsync(broker, "5", "-i", id, "-t", $"e2e/events/{run}", "-m", "hello", "-q", "1"));
        var results = await Task.WhenAll(publishers);
        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));

        string[] expected = ["SessionStarted", "ClientConnected", "ByClient", "SessionStopped"];
        await Eventually.TrueAsync(
            () => clients.All(id => TypesOf(receiver, id).Count >= expected.Length),
            TimeSpan.FromSeconds(30),
            "every client's four events at the webhook");
        foreach (var id in clients)
        {
            Assert.Equal(expected, TypesOf(receiver, id));
        }

        var connected = receiver.Events.First(e => e.GetProperty("type").GetString() == "ClientConnected" && e.GetProperty("clientId").GetString() == clients[0]);
        Assert.Equal("default", connected.GetProperty("tenantId").GetString());
        Assert.Equal("127.0.0.1", connected.GetProperty("remoteAddress").GetString());
        Assert.Equal(5, connected.GetProperty("protocolVersion").GetInt32());
        Assert.False(string.IsNullOrEmpty(connected.GetProperty("node").GetString()));
        Assert.True(connected.TryGetProperty("time", out _));
    }

    /// <summary>
    /// Tenant limits are events: a client over MsgPubPerSec is disconnected (0x96) and reported as the tenant out of
    /// that resource and as an ExceedPubRate disconnect (what the default rate-limit risk rule counts); a CONNECT
    /// past MaxConnections is refused (0x97) and reported as the tenant out of connections.
    /// </summary>
    [Fact(Timeout = 120_000)]
    public async Task TenantLimitsExceeded_WebhookGetsOutOfTenantResourceAndExceedPubRate()
    {
        await using var receiver = new WebhookReceiver();
        await using var broker = await BrokerProcess.StartAsync(
            null,
            "--Bifro:Events:Collectors:0=webhook",
            $"--Bifro:Events:Webhook:Url={receiver.Url}",
            "--Bifro:Tenants:Default:MsgPubPerSec=5",
            "--Bifro:Tenants:Default:MaxConnections=1");
        var run = Guid.NewGuid().ToString("N")[..8];

        var burst = await Mosquitto.PublishLinesAsync(broker, "5", Enumerable.Range(0, 200).Select(i => $"m{i}"), "-i", $"rate-{run}", "-t", $"e2e/limits/{run}", "-q", "1", "-d");
        Assert.Contains("Received DISCONNECT (150)", burst.StandardOutput + burst.StandardError, StringComparison.Ordinal);

        // The rate client's session has ended, so its connection slot has been given back: the next client takes it.
        await Eventually.TrueAsync(() => TypesOf(receiver, $"rate-{run}").Contains("SessionStopped"), TimeSpan.FromSeconds(30), "the rate client's session to stop");
        await using (await Mosquitto.StartSubscriberAsync(broker, "5", "-i", $"holder-{run}", "-t", $"e2e/limits/{run}"))
        {
            var refused = await Mosquitto.PublishAsync(broker, "5", "-i", $"over-{run}", "-t", $"e2e/limits/{run}", "-m", "x");
            Assert.NotEqual(0, refused.ExitCode);

            await Eventually.TrueAsync(
                () => OfType(receiver, "OutOfTenantResource").Count >= 2 && OfType(receiver, "ExceedPubRate").Count >= 1,
                TimeSpan.FromSeconds(30),
                "the limit events at the webhook");
        }

        var rate = OfType(receiver, "OutOfTenantResource").Single(e => e.GetProperty("resource").GetString() == "MsgPubPerSec");
        Assert.Equal($"rate-{run}", rate.GetProperty("clientId").GetString());
        Assert.Equal("default", rate.GetProperty("tenantId").GetString());
        Assert.Equal(5, rate.GetProperty("limit").GetInt64());
        var disconnect = OfType(receiver, "ExceedPubRate").Single();
        Assert.Equal($"rate-{run}", disconnect.GetProperty("clientId").GetString());
        Assert.Equal(0x96, disconnect.GetProperty("reasonCode").GetInt32());
        var connections = OfType(receiver, "OutOfTenantResource").Single(e => e.GetProperty("resource").GetString() == "MaxConnections");
        Assert.Equal($"over-{run}", connections.GetProperty("clientId").GetString());
        Assert.Equal(1, connections.GetProperty("limit").GetInt64());
    }

    /// <summary>
    /// Issue 5 §2 and §7: a collector that sleeps 2 s per batch, with every PUBLISH an event (sampling 1) and a
    /// collector queue of 100. Publishing 20,000 QoS 0 messages completes, the subscriber gets every one in order,
    /// and what the collector missed is counted and reported. How fast publishing goes with and without the
    /// sleeping collector is a figure for bench/ (--sleeping-consumer), not something to time here.
    /// </summary>
    [Fact(Timeout = 180_000)]
    public async Task CollectorThatSleeps_PublishingAndDeliveryGoOn_MissedEventsCounted()
    {
        var plugins = PluginFolder.Create();
        try
        {
            await using var broker = await BrokerProcess.StartAsync(
                null,
                "--Bifro:Events:PublishSampling=1",
                "--Bifro:Events:CollectorQueueSize=100",
                "--Bifro:Events:Collectors:0=sleepy",
                $"--Bifro:Events:Plugins:sleepy:Path={plugins}",
                "--Bifro:Events:Plugins:sleepy:TypeName=Bifro.TestPlugins.SleepingEventCollector",
                "--TestPlugins:SleepingCollector:Milliseconds=2000");
            const int Count = 20_000;
            var topic = $"e2e/slow-consumer/{Guid.NewGuid():N}";
            var expected = Enumerable.Range(0, Count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
            await using var subscriber = await Mosquitto.StartSubscriberAsync(broker, "311", "-v", "-t", topic, "-C", Count.ToString(CultureInfo.InvariantCulture));

            // mosquitto_pub -l sends every line, then DISCONNECT, and exits.
            await ProcessAssert.SucceedsAsync(Mosquitto.PublishLinesAsync(broker, "311", expected, "-t", topic, "-q", "0"), broker);

            await ProcessAssert.ExitsAsync(subscriber, broker, TimeSpan.FromSeconds(60));
            Assert.Equal(expected.Select(p => $"{topic} {p}"), Mosquitto.Messages(subscriber, topic));

            // The collector fell behind at once, then caught up once publishing stopped: the log says how much it missed.
            var caughtUp = await broker.Process.WaitForLineAsync(line => CaughtUp().IsMatch(line), TimeSpan.FromSeconds(60));
            var missed = long.Parse(CaughtUp().Match(caughtUp).Groups["missed"].Value, CultureInfo.InvariantCulture);
            Assert.InRange(missed, 1, Count + 100);
            Assert.Contains("Event collector sleepy does not keep up", broker.Output, StringComparison.Ordinal);
            Assert.Contains("SleepingEventCollector got ", broker.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(plugins, recursive: true);
        }
    }

    [GeneratedRegex(@"Event collector sleepy caught up: it missed (?<missed>\d+) events")]
    private static partial Regex CaughtUp();

    private static List<JsonElement> OfType(WebhookReceiver receiver, string type) =>
        receiver.Events.Where(e => e.GetProperty("type").GetString() == type).ToList();

    private static List<string> TypesOf(WebhookReceiver receiver, string clientId) =>
        receiver.Events
            .Where(e => e.TryGetProperty("clientId", out var c) && c.GetString() == clientId)
            .Select(e => e.GetProperty("type").GetString()!)
            .ToList();
}
