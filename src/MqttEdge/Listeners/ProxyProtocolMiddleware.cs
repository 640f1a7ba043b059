using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Bifro.MqttEdge.Listeners;

/// <summary>
/// Reads the PROXY protocol header (v1 or v2) a load balancer sends before anything else, TLS included, and
/// makes its source address the client's (<see cref="IMqttListenerFeature.RemoteEndPoint"/>). A connection
/// that does not begin with a valid header within the time allowed is closed.
/// </summary>
internal sealed partial class ProxyProtocolMiddleware(ConnectionDelegate next, string listenerName, TimeSpan timeout, ILogger logger)
{
    public async Task OnConnectionAsync(ConnectionContext connection)
    {
        var header = await ReadHeaderAsync(connection).ConfigureAwait(false);
        if (header is not { } proxied)
        {
            return;
        }

        var feature = MqttListenerFeature.GetOrAdd(connection, listenerName);
        if (proxied.Source is { } source)
        {
            feature.RemoteEndPoint = source;
            LogProxied(logger, listenerName, source, connection.RemoteEndPoint);
        }
        else
        {
            LogLocal(logger, listenerName, connection.RemoteEndPoint);
        }

        await next(connection).ConfigureAwait(false);
    }

    private async Task<ProxyHeader?> ReadHeaderAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        deadline.CancelAfter(timeout);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(deadline.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                var status = ProxyProtocolReader.TryRead(ref buffer, out var header);
                switch (status)
                {
                    case ProxyHeaderStatus.Complete:
                        input.AdvanceTo(buffer.Start);
                        return header;
                    case ProxyHeaderStatus.Invalid:
                        input.AdvanceTo(buffer.Start);
                        LogInvalid(logger, listenerName, connection.RemoteEndPoint);
                        return null;
                    default:
                        input.AdvanceTo(buffer.Start, buffer.End);
                        if (result.IsCompleted || result.IsCanceled)
                        {
                            LogInvalid(logger, listenerName, connection.RemoteEndPoint);
                            return null;
                        }

                        break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            LogTimedOut(logger, listenerName, connection.RemoteEndPoint);
            return null;
        }
        catch (Exception exception) when (exception is IOException or ConnectionResetException or ConnectionAbortedException)
        {
            return null;
        }
    }
}
