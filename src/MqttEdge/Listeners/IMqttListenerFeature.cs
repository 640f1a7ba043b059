using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Bifro.MqttEdge.Listeners;

/// <summary>
/// What the listener learned about a connection before MQTT begins (a connection feature, as Kestrel's
/// ITlsConnectionFeature): which listener took it, the client's address as a PROXY protocol header gave it,
/// and the certificate a client presented in the TLS handshake. Auth providers are meant to see all of it.
/// </summary>
internal interface IMqttListenerFeature
{
    /// <summary>The listener's configured name ("tcp", "tls", "ws", "wss" by default).</summary>
    string ListenerName { get; }

    /// <summary>
    /// The client's address from a PROXY protocol header; null when the connection's own remote address is the
    /// client's (no PROXY protocol, or a v2 LOCAL header such as a load balancer's health check).
    /// </summary>
    EndPoint? RemoteEndPoint { get; }

    /// <summary>The certificate the client presented and the listener validated; null without one (or without TLS).</summary>
    X509Certificate2? ClientCertificate { get; }

    /// <summary>
    /// The validated chain as DER: the client certificate first, then the intermediates, without the trust
    /// anchor. Null without a client certificate.
    /// </summary>
    byte[][]? ClientCertificateChain { get; }
}
