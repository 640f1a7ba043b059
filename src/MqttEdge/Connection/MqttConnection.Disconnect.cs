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
        SetCloseCause(EventType.ByClient, packet.ReasonCode, packet.ReasonString);
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
    public void Kick(byte reasonCode, string? reasonString, string? kicker = null)
    {
        LogKicked(_edge.Logger, SessionKey, reasonCode);
        SetCloseCause(EventType.Kicked, (ReasonCode)reasonCode, reasonString, kicker: kicker ?? (reasonCode == (byte)ReasonCode.SessionTakenOver ? "takeover" : "administrator"));
        Close((ReasonCode)reasonCode, reasonString, DetachReason.Abnormal);
    }

    /// <summary>A new ban matches this connection: DISCONNECT 0x98 Administrative Action (3.x: closed).</summary>
    public void KickBanned(BanEntry ban) => Kick((byte)ReasonCode.AdministrativeAction, "Banned.", "deny-list:" + ban.Id);

    /// <summary>Whether a ban of deny list <paramref name="scope"/> applies to this (connected) client.</summary>
    public bool IsBannedBy(string scope, BanEntry ban)
    {
        if (_phase != ConnectionPhase.Connected || _client is not { } client
            || (scope != DenyListScopes.Cluster && !string.Equals(scope, client.TenantId, StringComparison.Ordinal)))
        {
            return false;
        }

        var address = RemoteAddress;

        // Cluster-wide user bans match the CONNECT user name (what the check before authentication sees) or the user id.
        return ban.Matches(client.ClientId, client.UserId, address)
            || (scope == DenyListScopes.Cluster && _connectUserName is { } name && ban.Matches(null, name, null));
    }

    /// <summary>Server shutdown: 5.0 clients get DISCONNECT 0x8B, and the session is kept without publishing the will.</summary>
    public Task ShutdownAsync()
    {
        SetCloseCause(EventType.ByServer, ReasonCode.ServerShuttingDown, "The server is shutting down.");
        Close(ReasonCode.ServerShuttingDown, "The server is shutting down.", DetachReason.ServerShutdown);
        return Finished;
    }
}
