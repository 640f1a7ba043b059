using Bifro.MqttEdge.Codec.Properties;

namespace Bifro.MqttEdge.Codec.Packets;

/// <summary>The Will of a CONNECT (sections 3.1.2.5 to 3.1.2.7 and 3.1.3.2 to 3.1.3.4).</summary>
internal sealed class WillMessage
{
    /// <summary>Will Topic, a valid topic name.</summary>
    public required string Topic { get; init; }

    /// <summary>Will Payload, binary data (3.1 calls it a string; the wire form is the same).</summary>
    public byte[] Payload { get; init; } = [];

    public QualityOfService QoS { get; init; }

    public bool Retain { get; init; }

    /// <summary>Will Delay Interval (0x18) in seconds, null if absent (0).</summary>
    public uint? WillDelayInterval { get; init; }

    /// <summary>Payload Format Indicator (0x01), null if absent.</summary>
    public byte? PayloadFormatIndicator { get; init; }

    /// <summary>Message Expiry Interval (0x02), null if absent.</summary>
    public uint? MessageExpiryInterval { get; init; }

    /// <summary>Content Type (0x03), null if absent.</summary>
    public string? ContentType { get; init; }

    /// <summary>Response Topic (0x08), a valid topic name, null if absent.</summary>
    public string? ResponseTopic { get; init; }

    /// <summary>Correlation Data (0x09), null if absent.</summary>
    public byte[]? CorrelationData { get; init; }

    /// <summary>User Properties (0x26), null if none.</summary>
    public List<UserProperty>? UserProperties { get; init; }
}
