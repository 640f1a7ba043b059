using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;

namespace Bifro.MqttEdge.Listeners;

/// <summary>
/// MQTT over WebSocket for the ws and wss listeners (after TLS on wss). It answers the HTTP/1.1 upgrade on the
/// configured path itself, then hands the MQTT connection a <see cref="WebSocketDuplexPipe"/> over the
/// runtime's WebSocket framing (<see cref="WebSocket.CreateFromStream(Stream, WebSocketCreationOptions)"/>).
/// Why not Kestrel's HTTP stack with a small app: that would put HTTP request machinery, and a second
/// connection abstraction (HttpContext), in front of every MQTT connection for the sake of one request; here
/// the MQTT connection is the same code on every listener, and plain TCP pays nothing for WebSocket.
/// </summary>
internal sealed partial class WebSocketMiddleware(
    ConnectionDelegate next,
    string path,
    string listenerName,
    TimeSpan handshakeTimeout,
    long maxBufferedInput,
    ILogger logger)
{
    public async Task OnConnectionAsync(ConnectionContext connection)
    {
        var request = await ReadRequestAsync(connection).ConfigureAwait(false);
        if (request is null)
        {
            return;
        }

        var (status, subProtocol, reason) = request.Decide(path);
        if (status != 101)
        {
            LogRefused(logger, listenerName, RemoteEndPoint(connection), status, reason);
            await RespondAsync(connection, WebSocketUpgrade.RefusalResponse(status, reason)).ConfigureAwait(false);
            return;
        }

        await RespondAsync(connection, request.AcceptResponse(subProtocol!)).ConfigureAwait(false);
        var transport = connection.Transport;
        var socket = WebSocket.CreateFromStream(new DuplexPipeStream(transport), new WebSocketCreationOptions
        {
            IsServer = true,
            SubProtocol = subProtocol,
            // MQTT's keep alive watches the connection; no WebSocket pings from the server.
            KeepAliveInterval = TimeSpan.Zero,
        });
        var pool = connection.Features.Get<IMemoryPoolFeature>()?.MemoryPool ?? MemoryPool<byte>.Shared;
        var pipe = new WebSocketDuplexPipe(socket, pool, maxBufferedInput);
        connection.Transport = pipe;
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            connection.Transport = transport;
            await pipe.DisposeAsync().ConfigureAwait(false);
            if (pipe.ReceivedTextFrame)
            {
                LogTextFrame(logger, listenerName, RemoteEndPoint(connection));
            }
        }
    }

    private async Task<WebSocketUpgrade?> ReadRequestAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        deadline.CancelAfter(handshakeTimeout);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(deadline.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                switch (WebSocketUpgrade.TryRead(ref buffer, out var request))
                {
                    case WebSocketUpgradeStatus.Complete:
                        // Anything after the head (frames a client sent without waiting) stays for the WebSocket.
                        input.AdvanceTo(buffer.Start);
                        return request;
                    case WebSocketUpgradeStatus.TooLarge:
                        input.AdvanceTo(buffer.Start, buffer.End);
                        LogRefused(logger, listenerName, RemoteEndPoint(connection), 431, "request head too large");
                        await RespondAsync(connection, WebSocketUpgrade.RefusalResponse(431, "Request head too large")).ConfigureAwait(false);
                        return null;
                    default:
                        input.AdvanceTo(buffer.Start, buffer.End);
                        if (result.IsCompleted || result.IsCanceled)
                        {
                            return null;
                        }

                        break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            LogTimedOut(logger, listenerName, RemoteEndPoint(connection));
            return null;
        }
        catch (Exception exception) when (exception is IOException or ConnectionResetException or ConnectionAbortedException)
        {
            return null;
        }
    }

    private static async Task RespondAsync(ConnectionContext connection, byte[] response)
    {
        try
        {
            await connection.Transport.Output.WriteAsync(response).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or ConnectionResetException or ConnectionAbortedException or InvalidOperationException)
        {
            // The client left; nothing to answer.
        }
    }

    private static EndPoint? RemoteEndPoint(ConnectionContext connection) =>
        connection.Features.Get<IMqttListenerFeature>()?.RemoteEndPoint ?? connection.RemoteEndPoint;
}
