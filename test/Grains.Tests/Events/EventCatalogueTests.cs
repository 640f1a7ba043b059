using Bifro.Serialization;
using Xunit;

namespace Bifro.Grains.Tests.Events;

public sealed class EventCatalogueTests
{
    public static TheoryData<EventType> AllTypes
    {
        get
        {
            var data = new TheoryData<EventType>();
            foreach (var type in EventTypes.All)
            {
                data.Add(type);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void EveryType_HasAConcreteEventClass_ThatCrossesTheWireWithItsFields(EventType type)
    {
        var eventClass = EventTypes.ClassOf(type);
        Assert.True(typeof(BifroEvent).IsAssignableFrom(eventClass) && !eventClass.IsAbstract, $"{type}: {eventClass}");
        var e = (BifroEvent)Activator.CreateInstance(eventClass)!;
        typeof(BifroEvent).GetProperty(nameof(BifroEvent.Type))!.SetValue(e, type);
        e.Time = new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
        e.Node = "127.0.0.1:11111@1";

        var copy = Serializer.Deserialize<object>(Serializer.Serialize<object>(e));

        Assert.IsType(eventClass, copy);
        var read = (BifroEvent)copy;
        Assert.Equal(type, read.Type);
        Assert.Equal(e.Time, read.Time);
        Assert.Equal(e.Node, read.Node);
    }

    [Fact]
    public void Event_WithEveryField_RoundTrips()
    {
        var e = new ConnectionRefusedEvent
        {
            Type = EventType.Banned,
            Time = DateTimeOffset.UnixEpoch,
            Node = "cl:edge1",
            TenantId = "acme",
            UserId = "u",
            ClientId = "c",
            RemoteAddress = "192.0.2.1",
            RemotePort = 5000,
            ReasonCode = 0x8A,
            Reason = "r",
            Statement = "s",
            ProtocolVersion = 5,
            Username = "name",
            BanId = "ban-1",
            ListenerName = "tls",
        };

        var copy = Assert.IsType<ConnectionRefusedEvent>(Serializer.Deserialize<BifroEvent>(Serializer.Serialize<BifroEvent>(e)));

        Assert.Equivalent(e, copy, strict: true);
    }

    [Fact]
    public void StreamKey_TenantOrCluster()
    {
        Assert.Equal("acme", new ClientConnectedEvent { TenantId = "acme" }.StreamKey);
        Assert.Equal(EventStreams.ClusterKey, new ClusterEvent().StreamKey);
        Assert.False(AuthProviderGuard.IsValidTenant(EventStreams.ClusterKey));
    }

    [Theory]
    [InlineData("badpacket", EventType.BadPacket)]
    [InlineData("ClientConnected", EventType.ClientConnected)]
    public void TryParse_ConfigurationNames(string name, EventType expected)
    {
        Assert.True(EventTypes.TryParse(name, out var type));
        Assert.Equal(expected, type);
        Assert.False(EventTypes.TryParse("NoSuchEvent", out _));
        Assert.False(EventTypes.TryParse("42", out _));
    }
}
