using System.Text;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Packets;
using Bifro.MqttEdge.Codec.Properties;

namespace Bifro.MqttEdge.Tests.Codec.Support;

/// <summary>Random valid packets of every type, reproducible from a <see cref="Random"/> seed.</summary>
internal sealed class RandomPackets
{
    // Multi-byte characters on purpose: 2-, 3- and 4-byte UTF-8 (the emoji is a surrogate pair in .NET).
    private static readonly string[] Pieces = ["a", "b", "z", "0", "9", "-", "_", " ", "é", "ß", "日", "本", "😀", "$", "."];

    private static readonly ReasonCode[] PubAckCodes =
        [ReasonCode.Success, ReasonCode.NoMatchingSubscribers, ReasonCode.UnspecifiedError, ReasonCode.ImplementationSpecificError,
         ReasonCode.NotAuthorized, ReasonCode.TopicNameInvalid, ReasonCode.PacketIdentifierInUse, ReasonCode.QuotaExceeded, ReasonCode.PayloadFormatInvalid];

    private static readonly ReasonCode[] PubRelCodes = [ReasonCode.Success, ReasonCode.PacketIdentifierNotFound];

    private static readonly ReasonCode[] SubAckCodes =
        [ReasonCode.GrantedQoS0, ReasonCode.GrantedQoS1, ReasonCode.GrantedQoS2, ReasonCode.UnspecifiedError, ReasonCode.ImplementationSpecificError,
         ReasonCode.NotAuthorized, ReasonCode.TopicFilterInvalid, ReasonCode.PacketIdentifierInUse, ReasonCode.QuotaExceeded,
         ReasonCode.SharedSubscriptionsNotSupported, ReasonCode.SubscriptionIdentifiersNotSupported, ReasonCode.WildcardSubscriptionsNotSupported];

    private static readonly ReasonCode[] UnsubAckCodes =
        [ReasonCode.Success, ReasonCode.NoSubscriptionExisted, ReasonCode.UnspecifiedError, ReasonCode.ImplementationSpecificError,
         ReasonCode.NotAuthorized, ReasonCode.TopicFilterInvalid, ReasonCode.PacketIdentifierInUse];

    private static readonly ReasonCode[] ConnAckCodes =
        [ReasonCode.Success, ReasonCode.UnsupportedProtocolVersion, ReasonCode.ClientIdentifierNotValid, ReasonCode.ServerUnavailable,
         ReasonCode.BadUserNameOrPassword, ReasonCode.NotAuthorized, ReasonCode.Banned, ReasonCode.ServerBusy, ReasonCode.QuotaExceeded];

    private static readonly ReasonCode[] DisconnectCodes =
        [ReasonCode.NormalDisconnection, ReasonCode.DisconnectWithWillMessage, ReasonCode.ProtocolError, ReasonCode.ServerShuttingDown,
         ReasonCode.KeepAliveTimeout, ReasonCode.SessionTakenOver, ReasonCode.TopicAliasInvalid, ReasonCode.PacketTooLarge, ReasonCode.MaximumConnectTime];

    private readonly Random _random;
    private readonly ProtocolVersion _version;

    public RandomPackets(Random random, ProtocolVersion version)
    {
        _random = random;
        _version = version;
    }

    private bool V5 => _version == ProtocolVersion.Mqtt500;

    /// <summary>A random packet of a random type valid for the version.</summary>
    public PacketCase Next()
    {
        var types = V5 ? 15 : 14;
        var type = (PacketType)_random.Next(1, types + 1);
        return new PacketCase($"random {type} {_version}", _version, Next(type));
    }

    public object Next(PacketType type) => type switch
    {
        PacketType.Connect => Connect(),
        PacketType.ConnAck => ConnAck(),
        PacketType.Publish => Publish(),
        PacketType.PubAck => new PubAckPacket(Id(), Code(PubAckCodes)) { ReasonString = V5 ? Maybe(Text) : null, UserProperties = Users() },
        PacketType.PubRec => new PubRecPacket(Id(), Code(PubAckCodes)) { ReasonString = V5 ? Maybe(Text) : null, UserProperties = Users() },
        PacketType.PubRel => new PubRelPacket(Id(), Code(PubRelCodes)) { ReasonString = V5 ? Maybe(Text) : null, UserProperties = Users() },
        PacketType.PubComp => new PubCompPacket(Id(), Code(PubRelCodes)) { ReasonString = V5 ? Maybe(Text) : null, UserProperties = Users() },
        PacketType.Subscribe => Subscribe(),
        PacketType.SubAck => SubAck(),
        PacketType.Unsubscribe => new UnsubscribePacket { PacketId = Id(), TopicFilters = List(1, 4, () => TopicFilter.Parse(Filter())), UserProperties = Users() },
        PacketType.UnsubAck => V5
            ? new UnsubAckPacket { PacketId = Id(), ReasonCodes = List(1, 4, () => Pick(UnsubAckCodes)), ReasonString = Maybe(Text), UserProperties = Users() }
            : new UnsubAckPacket { PacketId = Id() },
        PacketType.PingReq => PacketCodec.PingReq,
        PacketType.PingResp => PacketCodec.PingResp,
        PacketType.Disconnect => V5
            ? new DisconnectPacket(Pick(DisconnectCodes)) { SessionExpiryInterval = MaybeValue(U32), ReasonString = Maybe(Text), ServerReference = Maybe(Text), UserProperties = Users() }
            : new DisconnectPacket(ReasonCode.NormalDisconnection),
        _ => Auth(),
    };

    public string Text()
    {
        var builder = new StringBuilder();
        var length = _random.Next(0, 8);
        for (var i = 0; i < length; i++)
        {
            builder.Append(Pieces[_random.Next(Pieces.Length)]);
        }

        return builder.ToString();
    }

    public string Topic()
    {
        var levels = _random.Next(1, 5);
        var parts = new string[levels];
        for (var i = 0; i < levels; i++)
        {
            parts[i] = Text();
        }

        var topic = string.Join('/', parts);
        return topic.Length == 0 ? "t" : topic;
    }

    public string Filter() => _random.Next(10) switch
    {
        0 => "#",
        1 => Topic() + "/#",
        2 => "+/" + Topic(),
        3 => "$share/" + Text().Replace("/", "", StringComparison.Ordinal) + "/" + Topic(),
        4 => Topic() + "+",     // syntactically invalid, but a valid packet
        _ => Topic(),
    };

    private ConnectPacket Connect()
    {
        var hasUser = _random.Next(2) == 0;
        var hasPassword = _random.Next(2) == 0 && (hasUser || V5);
        return new ConnectPacket
        {
            Version = _version,
            ClientId = Text(),
            CleanStart = _random.Next(2) == 0,
            KeepAlive = (ushort)_random.Next(65536),
            UserName = hasUser ? Text() : null,
            Password = hasPassword ? Binary() : null,
            Will = _random.Next(2) == 0 ? null : new WillMessage
            {
                Topic = Topic(),
                Payload = Binary(),
                QoS = (QualityOfService)_random.Next(3),
                Retain = _random.Next(2) == 0,
                WillDelayInterval = V5 ? MaybeValue(U32) : null,
                PayloadFormatIndicator = V5 ? MaybeValue(() => (byte)_random.Next(2)) : null,
                MessageExpiryInterval = V5 ? MaybeValue(U32) : null,
                ContentType = V5 ? Maybe(Text) : null,
                ResponseTopic = V5 ? Maybe(Topic) : null,
                CorrelationData = V5 ? Maybe(Binary) : null,
                UserProperties = Users(),
            },
            SessionExpiryInterval = V5 ? MaybeValue(U32) : null,
            ReceiveMaximum = V5 ? MaybeValue(() => (ushort)_random.Next(1, 65536)) : null,
            MaximumPacketSize = V5 ? MaybeValue(() => (uint)_random.Next(1, int.MaxValue)) : null,
            TopicAliasMaximum = V5 ? MaybeValue(() => (ushort)_random.Next(65536)) : null,
            RequestResponseInformation = V5 ? MaybeValue(() => _random.Next(2) == 0) : null,
            RequestProblemInformation = V5 ? MaybeValue(() => _random.Next(2) == 0) : null,
            UserProperties = Users(),
            AuthenticationMethod = V5 ? Maybe(Text) : null,
        };
    }

    private ConnAckPacket ConnAck()
    {
        var code = V5 ? Pick(ConnAckCodes) : Pick(ConnAckCodes[..6]);
        var method = V5 ? Maybe(Text) : null;
        return new ConnAckPacket
        {
            SessionPresent = code == ReasonCode.Success && _version != ProtocolVersion.Mqtt310 && _random.Next(2) == 0,
            ReasonCode = code,
            SessionExpiryInterval = V5 ? MaybeValue(U32) : null,
            ReceiveMaximum = V5 ? MaybeValue(() => (ushort)_random.Next(1, 65536)) : null,
            MaximumQoS = V5 ? MaybeValue(() => (QualityOfService)_random.Next(2)) : null,
            RetainAvailable = V5 ? MaybeValue(() => _random.Next(2) == 0) : null,
            MaximumPacketSize = V5 ? MaybeValue(() => (uint)_random.Next(1, int.MaxValue)) : null,
            AssignedClientIdentifier = V5 ? Maybe(Text) : null,
            TopicAliasMaximum = V5 ? MaybeValue(() => (ushort)_random.Next(65536)) : null,
            ReasonString = V5 ? Maybe(Text) : null,
            UserProperties = Users(),
            WildcardSubscriptionAvailable = V5 ? MaybeValue(() => _random.Next(2) == 0) : null,
            SubscriptionIdentifiersAvailable = V5 ? MaybeValue(() => _random.Next(2) == 0) : null,
            SharedSubscriptionAvailable = V5 ? MaybeValue(() => _random.Next(2) == 0) : null,
            ServerKeepAlive = V5 ? MaybeValue(() => (ushort)_random.Next(65536)) : null,
            ResponseInformation = V5 ? Maybe(Text) : null,
            ServerReference = V5 ? Maybe(Text) : null,
            AuthenticationMethod = method,
            AuthenticationData = method is null ? null : Maybe(Binary),
        };
    }

    public PublishMessage Publish()
    {
        var qos = (QualityOfService)_random.Next(3);
        var alias = V5 && _random.Next(3) == 0 ? (ushort)_random.Next(1, 65536) : (ushort)0;
        return new PublishMessage
        {
            QoS = qos,
            Retain = _random.Next(2) == 0,
            Dup = qos != QualityOfService.AtMostOnce && _random.Next(2) == 0,
            PacketId = qos == QualityOfService.AtMostOnce ? (ushort)0 : Id(),
            Topic = alias != 0 && _random.Next(2) == 0 ? "" : Topic(),
            Payload = Binary(),
            TopicAlias = alias,
            PayloadFormatIndicator = V5 ? MaybeValue(() => (byte)_random.Next(2)) : null,
            MessageExpiryInterval = V5 ? MaybeValue(U32) : null,
            ContentType = V5 ? Maybe(Text) : null,
            ResponseTopic = V5 ? Maybe(Topic) : null,
            CorrelationData = V5 ? Maybe(Binary) : null,
            UserProperties = Users() ?? [],
            SubscriptionIdentifiers = V5 ? List(0, 3, () => _random.Next(1, 268_435_456)) : [],
        };
    }

    private SubscribePacket Subscribe() => new()
    {
        PacketId = Id(),
        SubscriptionIdentifier = V5 ? MaybeValue(() => _random.Next(1, 268_435_456)) : null,
        UserProperties = Users(),
        Subscriptions = List(1, 4, () =>
        {
            var filter = TopicFilter.Parse(Filter());
            var options = V5
                ? new SubscriptionOptions((QualityOfService)_random.Next(3), !filter.IsShared && _random.Next(2) == 0, _random.Next(2) == 0, (RetainHandling)_random.Next(3))
                : new SubscriptionOptions((QualityOfService)_random.Next(3));
            return new Subscription(filter, options);
        }),
    };

    private SubAckPacket SubAck() => new()
    {
        PacketId = Id(),
        ReasonCodes = List(1, 5, () => _version switch
        {
            ProtocolVersion.Mqtt310 => (ReasonCode)_random.Next(3),
            ProtocolVersion.Mqtt311 => Pick(SubAckCodes[..4]),
            _ => Pick(SubAckCodes),
        }),
        ReasonString = V5 ? Maybe(Text) : null,
        UserProperties = Users(),
    };

    private AuthPacket Auth()
    {
        var code = Pick([ReasonCode.Success, ReasonCode.ContinueAuthentication, ReasonCode.ReAuthenticate]);
        return new AuthPacket
        {
            ReasonCode = code,
            AuthenticationMethod = Text(),
            AuthenticationData = Maybe(Binary),
            ReasonString = Maybe(Text),
            UserProperties = Users(),
        };
    }

    private ReasonCode Code(ReasonCode[] codes) => V5 ? Pick(codes) : ReasonCode.Success;

    private T Pick<T>(T[] values) => values[_random.Next(values.Length)];

    private ushort Id() => (ushort)_random.Next(1, 65536);

    private uint U32() => (uint)_random.NextInt64(0, uint.MaxValue + 1L);

    private byte[] Binary()
    {
        var bytes = new byte[_random.Next(0, 40)];
        _random.NextBytes(bytes);
        return bytes;
    }

    private List<UserProperty>? Users() =>
        V5 && _random.Next(2) == 0 ? List(1, 3, () => new UserProperty(Text(), Text())) : null;

    private T? Maybe<T>(Func<T> create)
        where T : class => _random.Next(2) == 0 ? create() : null;

    private T? MaybeValue<T>(Func<T> create)
        where T : struct => _random.Next(2) == 0 ? create() : null;

    private List<T> List<T>(int min, int max, Func<T> create)
    {
        var count = _random.Next(min, max + 1);
        var list = new List<T>(count);
        for (var i = 0; i < count; i++)
        {
            list.Add(create());
        }

        return list;
    }
}
