namespace Bifro.MqttEdge.Codec;

/// <summary>The protocol level byte of CONNECT.</summary>
public enum ProtocolVersion : byte
{
    /// <summary>MQTT 3.1, protocol name "MQIsdp".</summary>
    Mqtt310 = 3,

    /// <summary>MQTT 3.1.1, protocol name "MQTT".</summary>
    Mqtt311 = 4,

    /// <summary>MQTT 5.0, protocol name "MQTT".</summary>
    Mqtt500 = 5,
}
