using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Packets;
using Bifro.MqttEdge.Codec.Properties;

namespace Bifro.MqttEdge.Tests.Codec.Support;

/// <summary>A named packet for a version.</summary>
internal sealed record PacketCase(string Name, ProtocolVersion Version, object Packet)
{
    public override string ToString() => Name;
}

/// <summary>
/// One or more packets of every type for every version it exists in; the 5.0 ones carry every property
/// the packet allows.
/// </summary>
internal static class SamplePackets
{
    public static readonly ProtocolVersion[] Versions = [ProtocolVersion.Mqtt310, ProtocolVersion.Mqtt311, ProtocolVersion.Mqtt500];

    private static readonly Lazy<Dictionary<string, PacketCase>> Cases = new(() => Build().ToDictionary(c => c.Name));

    public static IEnumerable<PacketCase> All => Cases.Value.Values;

    public static PacketCase Get(string name) => Cases.Value[name];

    public static List<UserProperty> Users() => [new("k", "v"), new("k", "v2"), new("ключ", "値 😀"), new("", "")];

    private static IEnumerable<PacketCase> Build()
    {
        foreach (var version in Versions)
        {
            var v5 = version == ProtocolVersion.Mqtt500;
            var tag = version switch { ProtocolVersion.Mqtt310 => "3.1", ProtocolVersion.Mqtt311 => "3.1.1", _ => "5.0" };

            PacketCase Case(string name, object packet) => new($"{name} {tag}", version, packet);

            // CONNECT
            yield return Case("CONNECT minimal", new ConnectPacket { Version = version, ClientId = "c", CleanStart = true, KeepAlive = 60 });
            yield return Case("CONNECT full", new ConnectPacket
            {
                Version = version,
                ClientId = "client-é",
                CleanStart = false,
                KeepAlive = 65535,
                UserName = "user",
                Password = [0, 1, 2, 255],
                Will = new WillMessage
                {
                    Topic = "will/topic",
                    Payload = [1, 2, 3],
                    QoS = QualityOfService.ExactlyOnce,
                    Retain = true,
                    WillDelayInterval = v5 ? 30 : null,
                    PayloadFormatIndicator = v5 ? (byte)1 : null,
                    MessageExpiryInterval = v5 ? 3600 : null,
                    ContentType = v5 ? "text/plain" : null,
                    ResponseTopic = v5 ? "reply/here" : null,
                    CorrelationData = v5 ? [9, 8, 7] : null,
                    UserProperties = v5 ? Users() : null,
                },
                SessionExpiryInterval = v5 ? uint.MaxValue : null,
                ReceiveMaximum = v5 ? (ushort)10 : null,
                MaximumPacketSize = v5 ? 1_000_000u : null,
                TopicAliasMaximum = v5 ? (ushort)0 : null,
                RequestResponseInformation = v5 ? true : null,
                RequestProblemInformation = v5 ? false : null,
                UserProperties = v5 ? Users() : null,
                AuthenticationMethod = v5 ? "SCRAM-SHA-256" : null,
                AuthenticationData = v5 ? [0xAA, 0xBB] : null,
            });
            yield return Case("CONNECT will QoS 1 no retain", new ConnectPacket
            {
                Version = version,
                ClientId = "",
                CleanStart = true,
                Will = new WillMessage { Topic = "w", Payload = [], QoS = QualityOfService.AtLeastOnce },
            });
            if (v5)
            {
                yield return Case("CONNECT password without user name", new ConnectPacket { Version = version, ClientId = "p", Password = [1] });
            }

            // CONNACK
            yield return Case("CONNACK accepted", new ConnAckPacket { SessionPresent = version != ProtocolVersion.Mqtt310, ReasonCode = ReasonCode.Success });
            yield return Case("CONNACK refused", new ConnAckPacket { ReasonCode = ReasonCode.NotAuthorized });
            if (v5)
            {
                yield return Case("CONNACK full", new ConnAckPacket
                {
                    SessionPresent = true,
                    ReasonCode = ReasonCode.Success,
                    SessionExpiryInterval = 120,
                    ReceiveMaximum = 100,
                    MaximumQoS = QualityOfService.AtLeastOnce,
                    RetainAvailable = false,
                    MaximumPacketSize = 65536,
                    AssignedClientIdentifier = "auto-1",
                    TopicAliasMaximum = 16,
                    ReasonString = "welcome",
                    UserProperties = Users(),
                    WildcardSubscriptionAvailable = true,
                    SubscriptionIdentifiersAvailable = false,
                    SharedSubscriptionAvailable = true,
                    ServerKeepAlive = 30,
                    ResponseInformation = "resp/",
                    ServerReference = "other:1883",
                    AuthenticationMethod = "SCRAM-SHA-256",
                    AuthenticationData = [1, 2],
                });
                yield return Case("CONNACK use another server", new ConnAckPacket { ReasonCode = ReasonCode.UseAnotherServer, ServerReference = "b:1883" });
            }

            // PUBLISH
            yield return Case("PUBLISH QoS 0", new PublishMessage { Topic = "a/b", Payload = [1, 2, 3] });
            yield return Case("PUBLISH QoS 1 retain empty payload", new PublishMessage { QoS = QualityOfService.AtLeastOnce, PacketId = 1, Retain = true, Topic = "t" });
            yield return Case("PUBLISH QoS 2 dup", new PublishMessage { QoS = QualityOfService.ExactlyOnce, PacketId = 65535, Dup = true, Topic = "日本/語", Payload = new byte[300] });
            if (v5)
            {
                yield return Case("PUBLISH full", new PublishMessage
                {
                    QoS = QualityOfService.AtLeastOnce,
                    PacketId = 7,
                    Topic = "sensors/1/temp",
                    Payload = "21.5"u8.ToArray(),
                    TopicAlias = 3,
                    PayloadFormatIndicator = 1,
                    MessageExpiryInterval = 60,
                    ContentType = "text/plain",
                    ResponseTopic = "sensors/1/reply",
                    CorrelationData = [1, 2, 3, 4],
                    UserProperties = Users(),
                    SubscriptionIdentifiers = [1, 127, 128, 16384, 268_435_455],
                });
                yield return Case("PUBLISH alias only", new PublishMessage { Topic = "", TopicAlias = 65535, ContentType = "", CorrelationData = [] });
            }

            // PUBACK family
            yield return Case("PUBACK", new PubAckPacket(10));
            yield return Case("PUBREC", new PubRecPacket(11));
            yield return Case("PUBREL", new PubRelPacket(12));
            yield return Case("PUBCOMP", new PubCompPacket(13));
            if (v5)
            {
                yield return Case("PUBACK reason only", new PubAckPacket(1, ReasonCode.NoMatchingSubscribers));
                yield return Case("PUBACK full", new PubAckPacket(2, ReasonCode.QuotaExceeded) { ReasonString = "over quota", UserProperties = Users() });
                yield return Case("PUBREC full", new PubRecPacket(3, ReasonCode.PayloadFormatInvalid) { ReasonString = "bad", UserProperties = Users() });
                yield return Case("PUBREL full", new PubRelPacket(4, ReasonCode.PacketIdentifierNotFound) { ReasonString = "?", UserProperties = Users() });
                yield return Case("PUBCOMP full", new PubCompPacket(5) { ReasonString = "done" });
            }

            // SUBSCRIBE
            yield return Case("SUBSCRIBE", new SubscribePacket
            {
                PacketId = 20,
                Subscriptions =
                [
                    new("a/b", QualityOfService.AtMostOnce),
                    new("a/+/c", QualityOfService.AtLeastOnce),
                    new("#", QualityOfService.ExactlyOnce),
                    new("$share/group/x/#", QualityOfService.AtLeastOnce),
                    new("bad/#/filter", QualityOfService.AtMostOnce),
                ],
            });
            if (v5)
            {
                yield return Case("SUBSCRIBE full", new SubscribePacket
                {
                    PacketId = 21,
                    SubscriptionIdentifier = 268_435_455,
                    UserProperties = Users(),
                    Subscriptions =
                    [
                        new(TopicFilter.Parse("a/+"), new SubscriptionOptions(QualityOfService.ExactlyOnce, NoLocal: true, RetainAsPublished: true, RetainHandling.DoNotSend)),
                        new(TopicFilter.Parse("$share/g/b"), new SubscriptionOptions(QualityOfService.AtLeastOnce, false, false, RetainHandling.SendAtSubscribeIfNew)),
                    ],
                });
            }

            // SUBACK
            yield return Case("SUBACK", new SubAckPacket
            {
                PacketId = 20,
                ReasonCodes = version == ProtocolVersion.Mqtt310
                    ? [ReasonCode.GrantedQoS0, ReasonCode.GrantedQoS1, ReasonCode.GrantedQoS2]
                    : [ReasonCode.GrantedQoS0, ReasonCode.GrantedQoS1, ReasonCode.GrantedQoS2, ReasonCode.UnspecifiedError],
            });
            if (v5)
            {
                yield return Case("SUBACK full", new SubAckPacket
                {
                    PacketId = 21,
                    ReasonCodes = [ReasonCode.GrantedQoS1, ReasonCode.TopicFilterInvalid, ReasonCode.SharedSubscriptionsNotSupported, ReasonCode.WildcardSubscriptionsNotSupported],
                    ReasonString = "partly",
                    UserProperties = Users(),
                });
            }

            // UNSUBSCRIBE
            yield return Case("UNSUBSCRIBE", new UnsubscribePacket { PacketId = 30, TopicFilters = ["a/b", "$share/g/c", "x/#"], UserProperties = v5 ? Users() : null });

            // UNSUBACK
            yield return Case("UNSUBACK", v5
                ? new UnsubAckPacket { PacketId = 30, ReasonCodes = [ReasonCode.Success, ReasonCode.NoSubscriptionExisted, ReasonCode.TopicFilterInvalid], ReasonString = "ok", UserProperties = Users() }
                : new UnsubAckPacket { PacketId = 30 });

            // PINGREQ, PINGRESP
            yield return Case("PINGREQ", PacketCodec.PingReq);
            yield return Case("PINGRESP", PacketCodec.PingResp);

            // DISCONNECT
            yield return Case("DISCONNECT", new DisconnectPacket(ReasonCode.NormalDisconnection));
            if (v5)
            {
                yield return Case("DISCONNECT reason only", new DisconnectPacket(ReasonCode.DisconnectWithWillMessage));
                yield return Case("DISCONNECT full", new DisconnectPacket(ReasonCode.UseAnotherServer)
                {
                    SessionExpiryInterval = 0,
                    ReasonString = "moving",
                    UserProperties = Users(),
                    ServerReference = "b:1883",
                });

                // AUTH
                yield return Case("AUTH success short", new AuthPacket { ReasonCode = ReasonCode.Success });
                yield return Case("AUTH full", new AuthPacket
                {
                    ReasonCode = ReasonCode.ContinueAuthentication,
                    AuthenticationMethod = "SCRAM-SHA-256",
                    AuthenticationData = [1, 2, 3],
                    ReasonString = "more",
                    UserProperties = Users(),
                });
            }
        }
    }
}
