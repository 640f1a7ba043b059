using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace Bifro.MqttEdge.Connection;

/// <summary>
/// Where a connection comes from, as authentication sees it: the listener's name, the client's real
/// address (after the PROXY protocol) and its certificate. The one place that reads these from the
/// transport, so that the listeners' connection feature (TLS, WebSocket, PROXY protocol) plugs in here.
/// </summary>
internal readonly record struct ConnectionEndpoint(string ListenerName, IPEndPoint? RemoteEndPoint, X509Certificate2? ClientCertificate, X509Certificate2Collection? CertificateChain)
{
    /// <summary>Until the listeners name themselves, every connection comes through the plain TCP listener.</summary>
    public const string DefaultListenerName = "tcp";

    public static ConnectionEndpoint From(ConnectionContext transport) => new(
        DefaultListenerName,
        transport.RemoteEndPoint as IPEndPoint,
        // Kestrel's TLS middleware sets this once the handshake validated the client's certificate.
        transport.Features.Get<ITlsConnectionFeature>()?.ClientCertificate,
        null);
}
