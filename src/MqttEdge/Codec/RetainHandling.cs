namespace Bifro.MqttEdge.Codec;

/// <summary>MQTT 5.0 subscription option: when retained messages are sent. The value 3 is a protocol error.</summary>
public enum RetainHandling : byte
{
    SendAtSubscribe = 0,
    SendAtSubscribeIfNew = 1,
    DoNotSend = 2,
}
