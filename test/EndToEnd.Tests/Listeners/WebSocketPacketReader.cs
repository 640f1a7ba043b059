using System.Net.WebSockets;
using Bifro.EndToEnd.Tests.Clients;

namespace Bifro.EndToEnd.Tests.Listeners;

/// <summary>Reads MQTT packets from a client WebSocket, whatever the frames they came in.</summary>
internal sealed class WebSocketPacketReader(WebSocket socket)
{
    private readonly List<byte> _received = [];
    private WebSocketCloseStatus? _closed;

    public async Task<RawPacket> ReadAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            if (TryTake(out var packet))
            {
                return packet;
            }

            if (_closed is not null || !await ReceiveAsync(cts.Token))
            {
                throw new InvalidOperationException($"The server closed the WebSocket ({_closed}) before a whole packet came.");
            }
        }
    }

    /// <summary>Reads until the server's close frame, and returns its status.</summary>
    public async Task<WebSocketCloseStatus?> ReadCloseAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (_closed is null && await ReceiveAsync(cts.Token))
        {
        }

        return _closed;
    }

    private async Task<bool> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var result = await socket.ReceiveAsync(buffer, cancellationToken);
        if (result.MessageType == WebSocketMessageType.Close)
        {
            _closed = result.CloseStatus;
            return false;
        }

        _received.AddRange(buffer.AsSpan(0, result.Count));
        return true;
    }

    private bool TryTake(out RawPacket packet)
    {
        packet = default;
        if (_received.Count < 2)
        {
            return false;
        }

        var length = 0;
        var index = 1;
        for (var shift = 0; ; shift += 7)
        {
            if (index >= _received.Count)
            {
                return false;
            }

            var digit = _received[index++];
            length |= (digit & 0x7F) << shift;
            if ((digit & 0x80) == 0)
            {
                break;
            }
        }

        if (_received.Count < index + length)
        {
            return false;
        }

        packet = new RawPacket(_received[0], _received.GetRange(index, length).ToArray());
        _received.RemoveRange(0, index + length);
        return true;
    }
}
