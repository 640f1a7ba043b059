namespace Bifro.MqttEdge.Codec.Properties;

/// <summary>A User Property (0x26) of a control packet: a UTF-8 string pair, order and repeats kept.</summary>
public readonly record struct UserProperty(string Name, string Value);
