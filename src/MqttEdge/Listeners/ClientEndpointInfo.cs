using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Bifro.MqttEdge.Listeners;

/// <summary>Who is at the other end of an MQTT connection, as auth providers should see it.</summary>
/// <param name="ListenerName">The listener that accepted the connection ("tcp", "tls", "ws", "wss" by default).</param>
/// <param name="RemoteEndPoint">The client's address: from the PROXY protocol header when there was one, else the socket's.</param>
/// <param name="ClientCertificate">The validated client certificate, if the client presented one over TLS.</param>
/// <param name="ClientCertificateChain">The validated chain as DER, client certificate first, then intermediates (no trust anchor).</param>
internal readonly record struct ClientEndpointInfo(
    string ListenerName,
    EndPoint? RemoteEndPoint,
    X509Certificate2? ClientCertificate,
    byte[][]? ClientCertificateChain);
