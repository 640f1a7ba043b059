namespace Bifro.MqttEdge.Codec;

/// <summary>Delivery guarantee of a PUBLISH or a subscription. The value 3 is malformed.</summary>
public enum QualityOfService : byte
{
    AtMostOnce = 0,
    AtLeastOnce = 1,
    ExactlyOnce = 2,
}
