using System.Net;

namespace Bifro.MqttEdge.Listeners;

/// <summary>What a PROXY protocol header said.</summary>
/// <param name="Source">The client's address and port; null when the connection's own addresses stand (v2 LOCAL, v1 UNKNOWN, unspecified or Unix families).</param>
/// <param name="Destination">The address and port the client connected to at the proxy, when given.</param>
internal readonly record struct ProxyHeader(IPEndPoint? Source, IPEndPoint? Destination);

