using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Bifro.Runtime.Transport;
using Bifro.Serialization;
using Bifro.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Bifro.Runtime.Tests.Transport;

/// <summary>A silo-transport connection over a real loopback socket pair.</summary>
public sealed class TransportConnectionTests
{
    private static readonly ConnectionPreamble Peer = new(ConnectionPreamble.CurrentProtocolVersion, PeerRole.Silo, "c", "s", "peer");

    /// <param name="alreadyRead">
    /// How many bytes of the two frames the handshake's read took: within the first frame's length (2),
    /// right after it (4), within its payload (6), or the whole first frame and part of the second (15).
    /// </param>
    [Theory(Timeout = 30_000)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(6)]
    [InlineData(15)]
    public async Task Open_HandshakeReadEndedMidFrame_FramesAreReadWhole(int alreadyRead)
    {
        // The peer sends frames as soon as it has our preamble, so the handshake's read can end in the
        // middle of one: those bytes must start the frame stream, not break the connection.
        var (local, remote) = await SocketPairAsync();
        var dispatcher = new RecordingDispatcher();
        await using var connection = new TransportConnection(dispatcher, NullLogger.Instance, 100, "test");
        var bytes = Frame(FrameKind.Ping, [1, 2, 3, 4, 5, 6, 7, 8]).Concat(Frame(FrameKind.Pong, [9])).ToArray();

        connection.Open(new NetworkStream(local, ownsSocket: true), Peer, new ReadOnlySequence<byte>(bytes[..alreadyRead]));
        await remote.SendAsync(bytes[alreadyRead..]);

        await Eventually.TrueAsync(() => dispatcher.Frames.Count == 2);
        Assert.Equal([(FrameKind.Ping, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }), (FrameKind.Pong, new byte[] { 9 })], dispatcher.Frames.Select(f => (f.Kind, f.Payload)));
        Assert.False(connection.IsClosed);
        remote.Dispose();
    }

    [Fact(Timeout = 30_000)]
    public async Task Close_RequestAlreadyWritten_ItsCallIsFailedAtOnce()
    {
        // A request written to the socket gets its response on this connection only; when the connection
        // closes, waiting for the call timeout would only delay the failure.
        var (local, remote) = await SocketPairAsync();
        var dispatcher = new RecordingDispatcher();
        var connection = new TransportConnection(dispatcher, NullLogger.Instance, 100, "test");
        connection.Open(new NetworkStream(local, ownsSocket: true), Peer, ReadOnlySequence<byte>.Empty);
        var payload = new Writer();
        payload.WriteRaw([42]);
        Assert.True(connection.TrySend(FrameKind.Request, payload, correlationId: 7));
        var received = new byte[16];
        Assert.True(await remote.ReceiveAsync(received) > 0);

        remote.Dispose();

        await Eventually.TrueAsync(() => dispatcher.ClosedWith.Count == 1);
        Assert.True(connection.IsClosed);
    }

    private static byte[] Frame(FrameKind kind, byte[] payload)
    {
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, payload.Length + 1);
        frame[4] = (byte)kind;
        payload.CopyTo(frame, 5);
        return frame;
    }

    private static async Task<(Socket Local, Socket Remote)> SocketPairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var remote = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await remote.ConnectAsync(listener.LocalEndPoint!);
        var local = await listener.AcceptAsync();
        return (local, remote);
    }

    private sealed class RecordingDispatcher : ITransportDispatcher
    {
        public ConcurrentQueue<(FrameKind Kind, byte[] Payload)> Frames { get; } = new();

        public ConcurrentQueue<Exception?> ClosedWith { get; } = new();

        public void OnFrame(TransportConnection connection, FrameKind kind, ReadOnlySequence<byte> payload) => Frames.Enqueue((kind, payload.ToArray()));

        public void OnSendFailed(long correlationId, Exception? reason)
        {
        }

        public void OnClosed(TransportConnection connection, Exception? reason) => ClosedWith.Enqueue(reason);
    }
}
