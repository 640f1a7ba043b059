using System.Buffers;
using System.Text;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Packets;
using Bifro.MqttEdge.Codec.Properties;

namespace Bifro.MqttEdge.Tests.Codec.Support;

/// <summary>A PUBLISH with plain .NET values, for tests: <see cref="PublishPacket"/> is a ref struct view.</summary>
internal sealed record PublishMessage
{
    public QualityOfService QoS { get; init; }

    public bool Retain { get; init; }

    public bool Dup { get; init; }

    public ushort PacketId { get; init; }

    public string Topic { get; init; } = "a/b";

    public byte[] Payload { get; init; } = [];

    public ushort TopicAlias { get; init; }

    public byte? PayloadFormatIndicator { get; init; }

    public uint? MessageExpiryInterval { get; init; }

    public string? ContentType { get; init; }

    public string? ResponseTopic { get; init; }

    public byte[]? CorrelationData { get; init; }

    public List<UserProperty> UserProperties { get; init; } = [];

    public List<int> SubscriptionIdentifiers { get; init; } = [];

    public static PublishMessage From(in PublishPacket packet)
    {
        var properties = packet.Properties;
        var userProperties = new List<UserProperty>();
        foreach (var (name, value) in properties.UserProperties)
        {
            userProperties.Add(new UserProperty(Encoding.UTF8.GetString(name), Encoding.UTF8.GetString(value)));
        }

        var subscriptionIdentifiers = new List<int>();
        foreach (var id in properties.SubscriptionIdentifiers)
        {
            subscriptionIdentifiers.Add(id);
        }

        return new PublishMessage
        {
            QoS = packet.QoS,
            Retain = packet.Retain,
            Dup = packet.Dup,
            PacketId = packet.PacketId,
            Topic = Encoding.UTF8.GetString(packet.Topic),
            Payload = packet.Payload.ToArray(),
            TopicAlias = properties.TopicAlias,
            PayloadFormatIndicator = properties.PayloadFormatIndicator,
            MessageExpiryInterval = properties.MessageExpiryInterval,
            ContentType = properties.HasContentType ? Encoding.UTF8.GetString(properties.ContentType) : null,
            ResponseTopic = properties.HasResponseTopic ? Encoding.UTF8.GetString(properties.ResponseTopic) : null,
            CorrelationData = properties.HasCorrelationData ? properties.CorrelationData.ToArray() : null,
            UserProperties = userProperties,
            SubscriptionIdentifiers = subscriptionIdentifiers,
        };
    }

    public int GetSize(ProtocolVersion version)
    {
        var userProperties = UserPropertyEncoding.Encode(UserProperties);
        var topic = Encoding.UTF8.GetBytes(Topic);
        var contentType = Encoding.UTF8.GetBytes(ContentType ?? "");
        var responseTopic = Encoding.UTF8.GetBytes(ResponseTopic ?? "");
        var message = ToOutgoing(version, topic, contentType, responseTopic, userProperties);
        return PublishPacket.GetSize(message);
    }

    public int Write(IBufferWriter<byte> output, ProtocolVersion version)
    {
        var userProperties = UserPropertyEncoding.Encode(UserProperties);
        var topic = Encoding.UTF8.GetBytes(Topic);
        var contentType = Encoding.UTF8.GetBytes(ContentType ?? "");
        var responseTopic = Encoding.UTF8.GetBytes(ResponseTopic ?? "");
        var message = ToOutgoing(version, topic, contentType, responseTopic, userProperties);
        return PublishPacket.Write(output, message);
    }

    private OutgoingPublish ToOutgoing(ProtocolVersion version, byte[] topic, byte[] contentType, byte[] responseTopic, byte[] userProperties) => new()
    {
        Version = version,
        QoS = QoS,
        Retain = Retain,
        Dup = Dup,
        PacketId = PacketId,
        Topic = topic,
        TopicAlias = TopicAlias,
        PayloadFormatIndicator = PayloadFormatIndicator,
        MessageExpiryInterval = MessageExpiryInterval,
        ContentType = contentType,
        HasContentType = ContentType is not null,
        ResponseTopic = responseTopic,
        CorrelationData = CorrelationData,
        HasCorrelationData = CorrelationData is not null,
        UserProperties = userProperties,
        SubscriptionIdentifiers = SubscriptionIdentifiers.ToArray(),
        Payload = Payload,
    };
}
