using Bifro.Grains;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Packets;
using Bifro.MqttEdge.Delivery;

namespace Bifro.MqttEdge.Connection;

/// <summary>DISCONNECT from the client, PINGREQ, and the observer calls that close us (takeover, administration).</summary>
internal sealed partial class MqttConnection
{
    private bool HandleDisconnect(byte flags, ReadOnlySpan<byte> body)
    {
        if (!DisconnectPacket.TryRead(flags, body, _version, out var packet, out var error))
        {
            return ProtocolViolation(error);
        }

        if (packet.SessionExpiryInterval is { } expiry)
        {
            if (_sessionExpiryInterval == 0 && expiry != 0)
            {
                // [MQTT-3.14.2-2] A session that was to end with its connection cannot be made to outlive it now.
                return ProtocolViolation(ReasonCode.ProtocolError, "MQTT-3.14.2-2", "DISCONNECT set a session expiry interval on a session that had none");
            }

            _disconnectSessionExpiry = Math.Min(expiry, Math.Min(_edge.Options.MaxSessionExpiryInterval, _settings.MaxSessionExpirySeconds));
        }

        // [MQTT-3.14.4-3] 0x00 discards the will; 0x04, and any other reason, publish it.
        var reason = packet.ReasonCode == ReasonCode.NormalDisconnection ? DetachReason.Normal : DetachReason.NormalWithWill;
        LogClientDisconnected(_edge.Logger, SessionKey, packet.ReasonCode);
        lock (_sync)
        {
            if (_phase < ConnectionPhase.Closing)
            {
                _phase = ConnectionPhase.Closing;
                _detachReason = reason;
            }
        }

        // [MQTT-3.14.4-1] After DISCONNECT the client sends nothing more, and we send nothing more.
        return false;
    }

    private bool HandlePingReq(byte flags, ReadOnlySpan<byte> body)
    {
        if (!PingReqPacket.TryRead(flags, body, _version, out var error))
        {
            return ProtocolViolation(error);
        }

        // [MQTT-3.12.4-1] Answer PINGREQ with PINGRESP.
        EnqueueControl(new OutboundEntry { Kind = OutboundKind.PingResp });
        return true;
    }

    /// <summary>The session was taken over or closed by an administrator.</summary>
    public void Kick(byte reasonCode, string? reasonString)
    {
        LogKicked(_edge.Logger, SessionKey, reasonCode);
        Close((ReasonCode)reasonCode, reasonString, DetachReason.Abnormal);
    }

    /// <summary>Server shutdown: 5.0 clients get DISCONNECT 0x8B, and the session is kept without publishing the will.</summary>
    public Task ShutdownAsync()
    {
        Close(ReasonCode.ServerShuttingDown, "The server is shutting down.", DetachReason.ServerShutdown);
        return Finished;
    }
}
