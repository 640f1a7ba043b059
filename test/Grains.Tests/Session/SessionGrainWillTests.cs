using Bifro.Grains.Tests.Support;
using Bifro.Runtime;
using Bifro.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Bifro.Grains.Tests.Session;

/// <summary>
/// A delayed will of a session that outlives its connection [MQTT-3.1.3-9]: published after its delay, or
/// when the session ends if that comes first, and then in the same turn that ends the session.
/// </summary>
public sealed class SessionGrainWillTests : IAsyncLifetime
{
    private readonly RecordingPublisher _publisher = new();
    private TestSilo _silo = null!;

    private IGrainFactory Grains => _silo.GrainFactory;

    public async Task InitializeAsync() =>
        _silo = await TestSilo.StartAsync(services: services => services.AddSingleton<IMessagePublisher>(_publisher));

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    /// <summary>
    /// A will due before the session ends has a reminder of its own. One due at the session's end, or after
    /// it, has none: the expiry reminder publishes it while it ends the session. (A will reminder due at the
    /// same moment published the will in a turn of its own, and a client reconnecting on seeing the will
    /// found its session still there.)
    /// </summary>
    [Theory(Timeout = 30_000)]
    [InlineData(5u, 60u, new[] { "expire", "will" })]
    [InlineData(60u, 60u, new[] { "expire" })]
    [InlineData(300u, 60u, new[] { "expire" })]
    public async Task Detach_DelayedWill_RemindersDueBeforeTheSessionEndsOnly(uint delay, uint expiry, string[] reminders)
    {
        var key = $"t/will-{delay}-{expiry}";
        var session = Grains.GetGrain<ISessionGrain>(key);
        var attached = await AttachAsync(session, expiry, delay);

        await session.DetachAsync(new SessionDetachRequest { Epoch = attached.Epoch, Reason = DetachReason.Abnormal });

        var table = _silo.Services.GetRequiredService<IReminderTable>();
        var rows = await table.ReadRowsAsync(session.GetGrainId());
        Assert.Equal(reminders, rows.Select(r => r.ReminderName).Order(StringComparer.Ordinal));
        Assert.True((await session.GetInfoAsync()).WillPending);
        Assert.Empty(_publisher.Published);
    }

    [Fact(Timeout = 30_000)]
    public async Task SessionExpires_BeforeTheWillDelay_WillPublishedAndSessionGone()
    {
        var session = Grains.GetGrain<ISessionGrain>("t/will-at-expiry");
        var attached = await AttachAsync(session, expiry: 1, delay: 300);

        await session.DetachAsync(new SessionDetachRequest { Epoch = attached.Epoch, Reason = DetachReason.Abnormal });

        await Eventually.TrueAsync(() => _publisher.Published.Contains(("t", "last/words")), TimeSpan.FromSeconds(15), "the will at session end");
        Assert.False((await session.GetInfoAsync()).Exists);
    }

    private async Task<SessionAttachResult> AttachAsync(ISessionGrain session, uint expiry, uint delay) =>
        await session.AttachAsync(new SessionAttachRequest
        {
            Connection = Grains.CreateObjectReference<IConnectionObserver>(new RecordingConnections()),
            Node = "node-a",
            CleanStart = true,
            SessionExpiryInterval = expiry,
            ProtocolVersion = 5,
            Will = new WillMessage
            {
                Message = new MqttMessage { Topic = "last/words", Payload = "gone"u8.ToArray(), QoS = 1 },
                DelayIntervalSeconds = delay,
            },
        });
}
