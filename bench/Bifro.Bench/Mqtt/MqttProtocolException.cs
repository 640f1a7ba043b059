namespace Bifro.Bench.Mqtt;

/// <summary>The broker sent something this client cannot go on with (refusal, malformed frame, DISCONNECT).</summary>
internal sealed class MqttProtocolException(string message) : Exception(message);
