namespace Bifro.MqttEdge.Listeners;

/// <summary>The outcome of <see cref="ProxyProtocolReader.TryRead"/>.</summary>
internal enum ProxyHeaderStatus
{
    Complete,
    Incomplete,
    Invalid,
}
