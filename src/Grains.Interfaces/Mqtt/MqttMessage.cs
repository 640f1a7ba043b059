using Bifro.Runtime;

namespace Bifro.Grains;

/// <summary>
/// An application message as it crosses grain calls and storage: inbox entries, retained messages,
/// wills. The edge's hot path uses its own pooled representation and converts only when a message
/// leaves for a grain.
/// </summary>
[GenerateSerializer]
public sealed class MqttMessage
{
    [Id(0)]
    public string Topic { get; set; } = string.Empty;

    [Id(1)]
    public byte[] Payload { get; set; } = [];

    /// <summary>The QoS it was published with.</summary>
    [Id(2)]
    public byte QoS { get; set; }

    /// <summary>The RETAIN flag it was published with.</summary>
    [Id(3)]
    public bool Retain { get; set; }

    [Id(4)]
    public byte? PayloadFormatIndicator { get; set; }

    /// <summary>When the message expires (UTC ticks), from its Message Expiry Interval; null if never.</summary>
    [Id(5)]
    public long? ExpiresAtUtcTicks { get; set; }

    [Id(6)]
    public string? ContentType { get; set; }

    [Id(7)]
    public string? ResponseTopic { get; set; }

    [Id(8)]
    public byte[]? CorrelationData { get; set; }

    /// <summary>User properties in their MQTT wire form (a run of 0x26 name value entries), passed through untouched.</summary>
    [Id(9)]
    public byte[]? UserProperties { get; set; }

    /// <summary>The publishing session ("tenant/clientId"), for No Local; null for wills published after the session.</summary>
    [Id(10)]
    public string? PublisherSessionKey { get; set; }

    [Id(11)]
    public long PublishedAtUtcTicks { get; set; }

    public bool IsExpired(long nowUtcTicks) => ExpiresAtUtcTicks is { } expires && nowUtcTicks >= expires;
}
