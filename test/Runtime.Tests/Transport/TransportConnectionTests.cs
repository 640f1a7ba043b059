using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Bifro.Runtime.Transport;
using Bifro.Serialization;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Bifro.Runtime.Tests.Transport;

/// <summary>A connection over a real loopback socket, with the far end driven byte by byte by the test.</summary>
public sealed class TransportConnectionTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Theory(Timeout = 30_000)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(7)]
    public async Task Open_HandshakeReadTookPartOfAFrame_FrameDispatchedOnceItsRestArrives(int alreadyRead)
    {
        var (near, far) = await SocketPairAsync();
        using var farSocket = far;
        var dispatcher = new RecordingDispatcher();
        await using var connection = new TransportConnection(dispatcher, NullLogger.Instance, 100, "test");
        var frame = Frame(FrameKind.Ping, [1, 2, 3, 4, 5, 6, 7, 8]);

        // The peer's first frame came in part with its preamble; the rest is still on the wire.
        connection.Open(new NetworkStream(near, ownsSocket: true), Preamble(), new ReadOnlySequence<byte>(frame.AsMemory(0, alreadyRead)));
        await far.SendAsync(frame.AsMemory(alreadyRead));
        await far.SendAsync(Frame(FrameKind.Pong, [9]));

        var received = await dispatcher.Frames.Reader.ReadAsync().AsTask().WaitAsync(Deadline);
        Assert.Equal(FrameKind.Ping, received.Kind);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, received.Payload);
        var next = await dispatcher.Frames.Reader.ReadAsync().AsTask().WaitAsync(Deadline);
        Assert.Equal(FrameKind.Pong, next.Kind);
        Assert.Equal(new byte[] { 9 }, next.Payload);
        Assert.False(connection.IsClosed);
    }

    [Fact(Timeout = 30_000)]
    public async Task Close_RequestSentButNotAnswered_CallFailsAtOnce()
    {
        var (near, far) = await SocketPairAsync();
        var dispatcher = new RecordingDispatcher();
        await using var connection = new TransportConnection(dispatcher, NullLogger.Instance, 100, "test");
        connection.Open(new NetworkStream(near, ownsSocket: true), Preamble(), ReadOnlySequence<byte>.Empty);

        connection.TrySend(FrameKind.Request, Payload(41), correlationId: 41);
        connection.TrySend(FrameKind.Request, Payload(42), correlationId: 42);
        var sent = new byte[2 * Frame(FrameKind.Request, Payload(41).ToArray()).Length];
        await ReceiveExactlyAsync(far, sent);

        // 41 is answered; the peer dies (kill -9) before it answers 42.
        connection.Answered(41);
        far.Close();

        var failed = await dispatcher.Failed.Reader.ReadAsync().AsTask().WaitAsync(Deadline);
        Assert.Equal(42, failed);
        await Task.Delay(100);
        Assert.False(dispatcher.Failed.Reader.TryRead(out _), "an answered call was failed too");
    }

    private static ConnectionPreamble Preamble() => new(ConnectionPreamble.CurrentProtocolVersion, PeerRole.Silo, "c", "s", "peer");

    private static Writer Payload(long correlationId)
    {
        var writer = new Writer();
        writer.WriteVarUInt64((ulong)correlationId);
        return writer;
    }

    private static byte[] Frame(FrameKind kind, byte[] payload)
    {
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, payload.Length + 1);
        frame[4] = (byte)kind;
        payload.CopyTo(frame, 5);
        return frame;
    }

    private static async Task<(Socket Near, Socket Far)> SocketPairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var far = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await far.ConnectAsync(listener.LocalEndPoint!);
        var near = await listener.AcceptAsync();
        return (near, far);
    }

    private static async Task ReceiveExactlyAsync(Socket socket, byte[] buffer)
    {
        var offset = 0;
        while (offset < buffer.Length)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(offset)).AsTask().WaitAsync(Deadline);
            Assert.True(read > 0, "the connection closed before its frames were sent");
            offset += read;
        }
    }

    private sealed class RecordingDispatcher : ITransportDispatcher
    {
        public System.Threading.Channels.Channel<(FrameKind Kind, byte[] Payload)> Frames { get; } = System.Threading.Channels.Channel.CreateUnbounded<(FrameKind, byte[])>();

        public System.Threading.Channels.Channel<long> Failed { get; } = System.Threading.Channels.Channel.CreateUnbounded<long>();

        public void OnFrame(TransportConnection connection, FrameKind kind, ReadOnlySequence<byte> payload) =>
            Frames.Writer.TryWrite((kind, payload.ToArray()));

        public void OnSendFailed(long correlationId, Exception? reason) => Failed.Writer.TryWrite(correlationId);
    }
}
