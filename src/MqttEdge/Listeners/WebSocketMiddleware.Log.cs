using System.Net;
using Microsoft.Extensions.Logging;

namespace Bifro.MqttEdge.Listeners;

internal sealed partial class WebSocketMiddleware
{
    [LoggerMessage(1, LogLevel.Debug, "Listener {Listener}: WebSocket upgrade from {RemoteEndPoint} refused with {Status}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string listener, EndPoint? remoteEndPoint, int status, string reason);

    [LoggerMessage(2, LogLevel.Debug, "Listener {Listener}: {RemoteEndPoint} sent no WebSocket upgrade in time")]
    private static partial void LogTimedOut(ILogger logger, string listener, EndPoint? remoteEndPoint);

    [LoggerMessage(3, LogLevel.Debug, "Listener {Listener}: {RemoteEndPoint} sent a text frame; connection closed")]
    private static partial void LogTextFrame(ILogger logger, string listener, EndPoint? remoteEndPoint);
}
