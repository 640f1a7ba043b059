using System.Net;
using Microsoft.Extensions.Logging;

namespace Bifro.MqttEdge.Listeners;

internal sealed partial class TlsMiddleware
{
    [LoggerMessage(1, LogLevel.Debug, "Listener {Listener}: TLS handshake with {RemoteEndPoint} failed: {Reason}")]
    private static partial void LogHandshakeFailed(ILogger logger, string listener, EndPoint? remoteEndPoint, string reason);

    [LoggerMessage(2, LogLevel.Debug, "Listener {Listener}: {RemoteEndPoint} presented client certificate {Subject}")]
    private static partial void LogClientCertificate(ILogger logger, string listener, EndPoint? remoteEndPoint, string? subject);
}
