using System.Buffers;
using System.Diagnostics;
using System.Text;
using Bifro.Grains;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Packets;

namespace Bifro.MqttEdge.Delivery;

/// <summary>
/// A message on the edge's publish path. Its bytes (topic, payload and the 5.0 properties that pass
/// through) are copied once into one pooled buffer that every delivery shares; a reference count
/// returns the buffer when the last delivery has been written.
/// </summary>
internal sealed class PublishMessage
{
    private byte[] _buffer;
    private int _refCount = 1;
    private string? _topic;

    private PublishMessage(byte[] buffer) => _buffer = buffer;

    public int TopicLength { get; private set; }

    public int PayloadLength { get; private set; }

    public int ContentTypeLength { get; private set; } = -1;

    public int ResponseTopicLength { get; private set; } = -1;

    public int CorrelationDataLength { get; private set; } = -1;

    public int UserPropertiesLength { get; private set; }

    public QualityOfService QoS { get; private set; }

    public bool Retain { get; private set; }

    public byte? PayloadFormatIndicator { get; private set; }

    /// <summary>When the message expires, in UTC ticks; 0 if never.</summary>
    public long ExpiresAtUtcTicks { get; private set; }

    /// <summary>
    /// When the message was published (UTC ticks, the clock reading the publish path takes anyway), for the
    /// delivery latency histogram; 0 for messages whose latency is not live (stored in an inbox, retained).
    /// </summary>
    public long PublishedUtcTicks { get; private init; }

    /// <summary>The publishing session, for No Local; null for wills and messages from administration.</summary>
    public string? PublisherSessionKey { get; init; }

    public ReadOnlySpan<byte> Topic => _buffer.AsSpan(0, TopicLength);

    public ReadOnlySpan<byte> Payload => _buffer.AsSpan(TopicLength, PayloadLength);

    public ReadOnlySpan<byte> ContentType => ContentTypeLength < 0 ? default : _buffer.AsSpan(ContentTypeOffset, ContentTypeLength);

    public ReadOnlySpan<byte> ResponseTopic => ResponseTopicLength < 0 ? default : _buffer.AsSpan(ResponseTopicOffset, ResponseTopicLength);

    public ReadOnlySpan<byte> CorrelationData => CorrelationDataLength < 0 ? default : _buffer.AsSpan(CorrelationDataOffset, CorrelationDataLength);

    public ReadOnlySpan<byte> UserProperties => _buffer.AsSpan(UserPropertiesOffset, UserPropertiesLength);

    /// <summary>The topic as a string, made once and shared (topic aliases, grains, logs).</summary>
    public string TopicString => _topic ??= Encoding.UTF8.GetString(Topic);

    private int ContentTypeOffset => TopicLength + PayloadLength;

    private int ResponseTopicOffset => ContentTypeOffset + Math.Max(ContentTypeLength, 0);

    private int CorrelationDataOffset => ResponseTopicOffset + Math.Max(ResponseTopicLength, 0);

    private int UserPropertiesOffset => CorrelationDataOffset + Math.Max(CorrelationDataLength, 0);

    /// <summary>Copies a received PUBLISH; <paramref name="topic"/> is the topic after alias resolution.</summary>
    public static PublishMessage Create(scoped in PublishPacket packet, ReadOnlySpan<byte> topic, string? publisherSessionKey, long nowUtcTicks)
    {
        var properties = packet.Properties;
        var contentType = properties.HasContentType ? properties.ContentType.Length : -1;
        var responseTopic = properties.HasResponseTopic ? properties.ResponseTopic.Length : -1;
        var correlation = properties.HasCorrelationData ? properties.CorrelationData.Length : -1;
        var userProperties = properties.UserPropertiesLength;
        var size = topic.Length + packet.Payload.Length + Math.Max(contentType, 0) + Math.Max(responseTopic, 0)
            + Math.Max(correlation, 0) + userProperties;
        var message = new PublishMessage(ArrayPool<byte>.Shared.Rent(Math.Max(size, 1)))
        {
            PublisherSessionKey = publisherSessionKey,
            TopicLength = topic.Length,
            PayloadLength = packet.Payload.Length,
            ContentTypeLength = contentType,
            ResponseTopicLength = responseTopic,
            CorrelationDataLength = correlation,
            UserPropertiesLength = userProperties,
            QoS = packet.QoS,
            Retain = packet.Retain,
            PayloadFormatIndicator = properties.PayloadFormatIndicator,
            ExpiresAtUtcTicks = properties.MessageExpiryInterval is { } seconds ? nowUtcTicks + (seconds * TimeSpan.TicksPerSecond) : 0,
            PublishedUtcTicks = nowUtcTicks,
        };

        var destination = message._buffer.AsSpan();
        topic.CopyTo(destination);
        packet.Payload.CopyTo(destination[topic.Length..]);
        if (contentType > 0)
        {
            properties.ContentType.CopyTo(destination[message.ContentTypeOffset..]);
        }

        if (responseTopic > 0)
        {
            properties.ResponseTopic.CopyTo(destination[message.ResponseTopicOffset..]);
        }

        if (correlation > 0)
        {
            properties.CorrelationData.CopyTo(destination[message.CorrelationDataOffset..]);
        }

        if (userProperties > 0)
        {
            properties.CopyUserPropertiesTo(destination[message.UserPropertiesOffset..]);
        }

        return message;
    }

    /// <summary>Copies a message that comes from a grain (inbox, retained store, will).</summary>
    public static PublishMessage FromMqttMessage(MqttMessage source, QualityOfService qos, bool retain, long publishedUtcTicks = 0)
    {
        var topic = Encoding.UTF8.GetByteCount(source.Topic);
        var contentType = source.ContentType is null ? -1 : Encoding.UTF8.GetByteCount(source.ContentType);
        var responseTopic = source.ResponseTopic is null ? -1 : Encoding.UTF8.GetByteCount(source.ResponseTopic);
        var correlation = source.CorrelationData?.Length ?? -1;
        var userProperties = source.UserProperties?.Length ?? 0;
        var size = topic + source.Payload.Length + Math.Max(contentType, 0) + Math.Max(responseTopic, 0) + Math.Max(correlation, 0) + userProperties;
        var message = new PublishMessage(ArrayPool<byte>.Shared.Rent(Math.Max(size, 1)))
        {
            PublisherSessionKey = source.PublisherSessionKey,
            TopicLength = topic,
            PayloadLength = source.Payload.Length,
            ContentTypeLength = contentType,
            ResponseTopicLength = responseTopic,
            CorrelationDataLength = correlation,
            UserPropertiesLength = userProperties,
            QoS = qos,
            Retain = retain,
            PayloadFormatIndicator = source.PayloadFormatIndicator,
            ExpiresAtUtcTicks = source.ExpiresAtUtcTicks ?? 0,
            PublishedUtcTicks = publishedUtcTicks,
            _topic = source.Topic,
        };

        var destination = message._buffer.AsSpan();
        Encoding.UTF8.GetBytes(source.Topic, destination);
        source.Payload.CopyTo(destination[topic..]);
        if (contentType > 0)
        {
            Encoding.UTF8.GetBytes(source.ContentType, destination[message.ContentTypeOffset..]);
        }

        if (responseTopic > 0)
        {
            Encoding.UTF8.GetBytes(source.ResponseTopic, destination[message.ResponseTopicOffset..]);
        }

        if (correlation > 0)
        {
            source.CorrelationData.CopyTo(destination[message.CorrelationDataOffset..]);
        }

        if (userProperties > 0)
        {
            source.UserProperties.CopyTo(destination[message.UserPropertiesOffset..]);
        }

        return message;
    }

    /// <summary>The grain form, for inboxes and the retained store.</summary>
    public MqttMessage ToMqttMessage(long nowUtcTicks) => new()
    {
        Topic = TopicString,
        Payload = Payload.ToArray(),
        QoS = (byte)QoS,
        Retain = Retain,
        PayloadFormatIndicator = PayloadFormatIndicator,
        ExpiresAtUtcTicks = ExpiresAtUtcTicks == 0 ? null : ExpiresAtUtcTicks,
        ContentType = ContentTypeLength < 0 ? null : Encoding.UTF8.GetString(ContentType),
        ResponseTopic = ResponseTopicLength < 0 ? null : Encoding.UTF8.GetString(ResponseTopic),
        CorrelationData = CorrelationDataLength < 0 ? null : CorrelationData.ToArray(),
        UserProperties = UserPropertiesLength == 0 ? null : UserProperties.ToArray(),
        PublisherSessionKey = PublisherSessionKey,
        PublishedAtUtcTicks = nowUtcTicks,
    };

    public bool IsExpired(long nowUtcTicks) => ExpiresAtUtcTicks != 0 && nowUtcTicks >= ExpiresAtUtcTicks;

    /// <summary>Seconds left for the Message Expiry Interval a subscriber sees [MQTT-3.3.2-6]; null if it never expires.</summary>
    public uint? RemainingExpirySeconds(long nowUtcTicks) =>
        ExpiresAtUtcTicks == 0 ? null : (uint)Math.Max(1, (ExpiresAtUtcTicks - nowUtcTicks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond);

    public void AddReference() => Interlocked.Increment(ref _refCount);

    public void Release()
    {
        var remaining = Interlocked.Decrement(ref _refCount);
        if (remaining == 0)
        {
            var buffer = _buffer;
            _buffer = [];
            ArrayPool<byte>.Shared.Return(buffer);
        }

        Debug.Assert(remaining >= 0, "A publish message was released more often than it was referenced.");
    }
}
