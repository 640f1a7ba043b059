using Bifro.Runtime;

namespace Bifro.Grains;

/// <summary>An action to authorize (BifroMQ's MQTTAction): connect, publish, subscribe or unsubscribe.</summary>
[GenerateSerializer]
public sealed record MqttAction(
    [property: Id(0)] MqttActionKind Kind,
    [property: Id(1)] string Topic,
    [property: Id(2)] byte QoS,
    [property: Id(3)] bool Retain,
    [property: Id(4)] string? ShareGroup)
{
    /// <summary>Connect (no topic).</summary>
    public static MqttAction Connect() => new(MqttActionKind.Connect, string.Empty, 0, false, null);

    /// <summary>Publish to <paramref name="topic"/> (a topic name, after alias resolution).</summary>
    public static MqttAction Publish(string topic, byte qos, bool retain) => new(MqttActionKind.Publish, topic, qos, retain, null);

    /// <summary>Subscribe to <paramref name="filter"/> (without a "$share/{group}/" prefix, which <paramref name="shareGroup"/> holds).</summary>
    public static MqttAction Subscribe(string filter, byte qos, string? shareGroup = null) => new(MqttActionKind.Subscribe, filter, qos, false, shareGroup);

    /// <summary>Unsubscribe from <paramref name="filter"/> (without a "$share/{group}/" prefix).</summary>
    public static MqttAction Unsubscribe(string filter, string? shareGroup = null) => new(MqttActionKind.Unsubscribe, filter, 0, false, shareGroup);

    public override string ToString() => Kind switch
    {
        MqttActionKind.Connect => "connect",
        MqttActionKind.Publish => $"publish {Topic} q{QoS}{(Retain ? " retain" : string.Empty)}",
        MqttActionKind.Subscribe => $"subscribe {(ShareGroup is null ? Topic : $"$share/{ShareGroup}/{Topic}")} q{QoS}",
        _ => $"unsubscribe {(ShareGroup is null ? Topic : $"$share/{ShareGroup}/{Topic}")}",
    };
}
