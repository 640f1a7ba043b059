using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;

namespace Bifro.MqttEdge.Listeners;

/// <summary>
/// MQTT over WebSocket as a pair of pipes, so that the MQTT connection reads a PipeReader and writes a
/// PipeWriter as it does over TCP. A receive loop copies the payload of binary frames into the input pipe,
/// ignoring frame boundaries, since MQTT packets may be split across frames or share one [MQTT-6.0.0-2];
/// a text frame ends the connection [MQTT-6.0.0-1]. A send loop sends each flushed segment of the output
/// pipe as one binary message. The input pipe pauses at <c>maxBufferedInput</c>, so a back-pressured
/// connection stops the receive loop, and in turn the client, as over TCP.
/// </summary>
internal sealed class WebSocketDuplexPipe : IDuplexPipe, IAsyncDisposable
{
    private static readonly TimeSpan s_closeTimeout = TimeSpan.FromSeconds(2);

    private readonly WebSocket _socket;
    private readonly Pipe _input;
    private readonly Pipe _output;
    private readonly Task _receiving;
    private readonly Task _sending;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string? _closeDescription;

    public WebSocketDuplexPipe(WebSocket socket, MemoryPool<byte> pool, long maxBufferedInput)
    {
        _socket = socket;
        _input = new Pipe(new PipeOptions(pool, pauseWriterThreshold: maxBufferedInput, resumeWriterThreshold: maxBufferedInput / 2, useSynchronizationContext: false));
        _output = new Pipe(new PipeOptions(pool, pauseWriterThreshold: 64 * 1024, resumeWriterThreshold: 32 * 1024, useSynchronizationContext: false));
        _receiving = ReceiveAsync();
        _sending = SendAsync();
    }

    public PipeReader Input => _input.Reader;

    public PipeWriter Output => _output.Writer;

    /// <summary>Set when the client sent a text frame, for the log.</summary>
    public bool ReceivedTextFrame { get; private set; }

    /// <summary>
    /// After the MQTT connection has completed both pipes: sends what is left and the close frame, then stops
    /// both loops.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _output.Writer.CompleteAsync().ConfigureAwait(false);
        await _input.Reader.CompleteAsync().ConfigureAwait(false);
        await _sending.WaitAsync(s_closeTimeout * 2).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        // The client answers the close frame, which ends the receive loop; a client that does not is cut off.
        await _receiving.WaitAsync(s_closeTimeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Abort();
        await _receiving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
    }

    private async Task ReceiveAsync()
    {
        await Task.Yield();
        var writer = _input.Writer;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(1);
                var result = await _socket.ReceiveAsync(memory, CancellationToken.None).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                if (result.MessageType == WebSocketMessageType.Text)
                {
                    // [MQTT-6.0.0-1] MQTT travels in binary frames; a text frame closes the connection.
                    ReceivedTextFrame = true;
                    _closeStatus = WebSocketCloseStatus.InvalidMessageType;
                    _closeDescription = "MQTT needs binary frames";
                    break;
                }

                writer.Advance(result.Count);
                var flush = await writer.FlushAsync().ConfigureAwait(false);
                if (flush.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection went away or was aborted; the MQTT connection sees the end of its input.
        }
        finally
        {
            await writer.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async Task SendAsync()
    {
        await Task.Yield();
        var reader = _output.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                foreach (var segment in buffer)
                {
                    await _socket.SendAsync(segment, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
                }

                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }

            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(s_closeTimeout);
                await _socket.CloseOutputAsync(_closeStatus, _closeDescription, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client is gone: the MQTT connection's next flush sees the output completed.
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }
}
