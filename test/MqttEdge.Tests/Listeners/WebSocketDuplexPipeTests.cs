using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using Bifro.MqttEdge.Listeners;
using Xunit;

namespace Bifro.MqttEdge.Tests.Listeners;

/// <summary>
/// The WebSocket framing adapter over an in-memory connection: a client WebSocket on one end, the server's
/// WebSocket and <see cref="WebSocketDuplexPipe"/> on the other, as the MQTT connection would read and write it.
/// </summary>
public sealed class WebSocketDuplexPipeTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly Pipe _toServer = new();
    private readonly WebSocket _client;
    private readonly WebSocketDuplexPipe _server;

    public WebSocketDuplexPipeTests()
    {
        var toServer = _toServer;
        var toClient = new Pipe();
        var clientTransport = new DuplexPipe(toClient.Reader, toServer.Writer);
        var serverTransport = new DuplexPipe(toServer.Reader, toClient.Writer);
        _client = WebSocket.CreateFromStream(new DuplexPipeStream(clientTransport), new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
        var serverSocket = WebSocket.CreateFromStream(new DuplexPipeStream(serverTransport), new WebSocketCreationOptions { IsServer = true, SubProtocol = "mqtt", KeepAliveInterval = TimeSpan.Zero });
        _server = new WebSocketDuplexPipe(serverSocket, MemoryPool<byte>.Shared, maxBufferedInput: 64 * 1024);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // The client goes away as a closed TCP connection would.
        _client.Abort();
        await _toServer.Writer.CompleteAsync();
        await _server.Input.CompleteAsync();
        await _server.Output.CompleteAsync();
        await _server.DisposeAsync().AsTask().WaitAsync(Timeout);
        _client.Dispose();
    }

    [Fact(Timeout = 10_000)]
    public async Task Input_PacketSplitAcrossTwoFrames_ReadAsOneStream()
    {
        byte[] connect = [0x10, 0x0C, 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, 0x02, 0x00, 0x3C, 0x00, 0x00];

        await SendAsync(connect[..3]);
        await SendAsync(connect[3..]);

        Assert.Equal(connect, await ReadExactlyAsync(connect.Length));
    }

    [Fact(Timeout = 10_000)]
    public async Task Input_TwoPacketsInOneFrame_BothRead()
    {
        byte[] twoPackets = [0xC0, 0x00, 0x82, 0x06, 0x00, 0x01, 0x00, 0x01, (byte)'t', 0x00];

        await SendAsync(twoPackets);

        Assert.Equal(twoPackets, await ReadExactlyAsync(twoPackets.Length));
    }

    [Fact(Timeout = 10_000)]
    public async Task Input_FragmentedMessage_ReadAsOneStream()
    {
        await _client.SendAsync(new byte[] { 0xC0 }, WebSocketMessageType.Binary, endOfMessage: false, CancellationToken.None);
        await _client.SendAsync(new byte[] { 0x00 }, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

        Assert.Equal([0xC0, 0x00], await ReadExactlyAsync(2));
    }

    [Fact(Timeout = 10_000)]
    public async Task Input_TextFrame_EndsInputAndClosesWithInvalidMessageType()
    {
        await _client.SendAsync("hello"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

        var result = await ReadToEndAsync();
        Assert.Empty(result);
        Assert.True(_server.ReceivedTextFrame);

        // The MQTT connection completes its side; the adapter says why it closes.
        await _server.Output.CompleteAsync();
        var close = await ReceiveAsync();
        Assert.Equal(WebSocketMessageType.Close, close.MessageType);
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, _client.CloseStatus);
    }

    [Fact(Timeout = 10_000)]
    public async Task Input_ClientCloses_InputEnds()
    {
        await _client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);

        Assert.Empty(await ReadToEndAsync());
    }

    [Fact(Timeout = 10_000)]
    public async Task Output_Flushed_ArrivesAsBinaryMessage()
    {
        await _server.Output.WriteAsync(new byte[] { 0x20, 0x02, 0x00, 0x00 });

        var buffer = new byte[16];
        var result = await _client.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(WebSocketMessageType.Binary, result.MessageType);
        Assert.Equal([0x20, 0x02, 0x00, 0x00], buffer[..result.Count]);
    }

    [Fact(Timeout = 10_000)]
    public async Task Output_LargerThanOneSegment_ArrivesWhole()
    {
        var payload = new byte[20_000];
        new Random(7).NextBytes(payload);

        await _server.Output.WriteAsync(payload);

        var received = new List<byte>();
        var buffer = new byte[4096];
        while (received.Count < payload.Length)
        {
            var result = await _client.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Timeout);
            Assert.Equal(WebSocketMessageType.Binary, result.MessageType);
            received.AddRange(buffer.AsSpan(0, result.Count));
        }

        Assert.Equal(payload, received.ToArray());
    }

    [Fact(Timeout = 10_000)]
    public async Task Output_Completed_SendsNormalClose()
    {
        await _server.Output.CompleteAsync();

        var result = await ReceiveAsync();

        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, _client.CloseStatus);
    }

    private Task SendAsync(byte[] frame) => _client.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

    private async Task<WebSocketReceiveResult> ReceiveAsync() =>
        await _client.ReceiveAsync(new byte[256], CancellationToken.None).WaitAsync(Timeout);

    private async Task<byte[]> ReadExactlyAsync(int count)
    {
        while (true)
        {
            var result = await _server.Input.ReadAsync().AsTask().WaitAsync(Timeout);
            if (result.Buffer.Length >= count || result.IsCompleted)
            {
                var bytes = result.Buffer.Slice(0, Math.Min(count, result.Buffer.Length)).ToArray();
                _server.Input.AdvanceTo(result.Buffer.GetPosition(bytes.Length));
                return bytes;
            }

            _server.Input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private async Task<byte[]> ReadToEndAsync()
    {
        while (true)
        {
            var result = await _server.Input.ReadAsync().AsTask().WaitAsync(Timeout);
            if (result.IsCompleted)
            {
                var bytes = result.Buffer.ToArray();
                _server.Input.AdvanceTo(result.Buffer.End);
                return bytes;
            }

            _server.Input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}
