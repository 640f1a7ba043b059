namespace Bifro.Grains;

/// <summary>What a client wants to do.</summary>
public enum MqttActionKind : byte
{
    /// <summary>Connect: checked right after a successful authentication.</summary>
    Connect = 0,

    /// <summary>Publish to a topic name (also a CONNECT's will message).</summary>
    Publish = 1,

    /// <summary>Subscribe to a topic filter.</summary>
    Subscribe = 2,

    /// <summary>Unsubscribe from a topic filter.</summary>
    Unsubscribe = 3,
}
