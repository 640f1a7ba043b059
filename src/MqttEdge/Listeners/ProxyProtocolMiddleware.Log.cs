using System.Net;
using Microsoft.Extensions.Logging;

namespace Bifro.MqttEdge.Listeners;

internal sealed partial class ProxyProtocolMiddleware
{
    [LoggerMessage(1, LogLevel.Debug, "Listener {Listener}: PROXY header gives client {Source} (proxy {Proxy})")]
    private static partial void LogProxied(ILogger logger, string listener, EndPoint source, EndPoint? proxy);

    [LoggerMessage(2, LogLevel.Debug, "Listener {Listener}: PROXY header from {Proxy} keeps the connection's own address (LOCAL or UNKNOWN)")]
    private static partial void LogLocal(ILogger logger, string listener, EndPoint? proxy);

    [LoggerMessage(3, LogLevel.Debug, "Listener {Listener}: connection from {RemoteEndPoint} closed: no valid PROXY protocol header")]
    private static partial void LogInvalid(ILogger logger, string listener, EndPoint? remoteEndPoint);

    [LoggerMessage(4, LogLevel.Debug, "Listener {Listener}: connection from {RemoteEndPoint} closed: no PROXY protocol header in time")]
    private static partial void LogTimedOut(ILogger logger, string listener, EndPoint? remoteEndPoint);
}
