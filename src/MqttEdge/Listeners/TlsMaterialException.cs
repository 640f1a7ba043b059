namespace Bifro.MqttEdge.Listeners;

/// <summary>A certificate, key or CA file that cannot be read or used; the message names the configuration key.</summary>
internal sealed class TlsMaterialException(string message, Exception? inner = null) : Exception(message, inner);
