namespace Bifro.Bench.Mqtt;

/// <summary>The protocol level byte sent in CONNECT.</summary>
internal enum MqttVersion : byte
{
    V311 = 4,
    V500 = 5,
}
