namespace Bifro.MqttEdge.Listeners;

/// <summary>The outcome of reading an HTTP request head.</summary>
internal enum WebSocketUpgradeStatus
{
    Complete,
    Incomplete,
    TooLarge,
}
