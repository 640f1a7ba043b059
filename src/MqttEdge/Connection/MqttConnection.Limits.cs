using Bifro.Grains;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Packets;
using Bifro.MqttEdge.Limits;

namespace Bifro.MqttEdge.Connection;

/// <summary>
/// Tenant limits (ARCHITECTURE.md, flow 1: "tenant limits"). The tenant's settings are read once, at CONNECT,
/// and kept; every per-message check (publish rate, topic and payload size, retain) is local to the
/// connection: no grain call per PUBLISH. Only MaxConnections, which holds across the cluster, costs a
/// grain call, at CONNECT and at close.
/// </summary>
internal sealed partial class MqttConnection
{
    private static readonly TenantSettings s_defaultSettings = new();

    private TenantSettings _settings = s_defaultSettings;
    private RateLimit _publishRate;
    private bool _retainAvailable = true;
    private ushort _receiveMaximum = 65_535;
    private bool _holdsTenantSlot;

    /// <summary>
    /// Right after authentication named the tenant: its settings, its connect rate, and what its settings say
    /// about the will, the session expiry and the receive window. False when the CONNECT was refused.
    /// </summary>
    private async ValueTask<bool> ApplyTenantSettingsAsync(ConnectPacket connect)
    {
        TenantSettings settings;
        try
        {
            var pending = _edge.Settings.GetSettingsAsync(_tenant, CancellationToken.None);
            settings = pending.IsCompletedSuccessfully
                ? pending.Result
                : await pending.AsTask().WaitAsync(_edge.AuthOptions.Timeout, _edge.Time).ConfigureAwait(false);
            ArgumentNullException.ThrowIfNull(settings);
        }
        catch (Exception exception)
        {
            // Fail closed: without its limits, a tenant does not connect.
            LogSettingsFailed(_edge.Logger, exception, _tenant);
            RefuseConnect(EventType.ServerUnavailable, _version, ReasonCode.UnspecifiedError, "The tenant's settings are not available.", reasonForEvent: exception.Message);
            return false;
        }

        _settings = settings;
        if (settings.ConnectPerSecond > 0 && !_edge.ConnectRate.TryAcquire(_tenant, settings.ConnectPerSecond))
        {
            return await RefuseForLimitAsync(ReasonCode.ConnectionRateExceeded, nameof(TenantSettings.ConnectPerSecond), settings.ConnectPerSecond, $"The tenant allows {settings.ConnectPerSecond} new connections per second.").ConfigureAwait(false);
        }

        if (connect.Will is { } will)
        {
            if (will.Retain && !settings.RetainEnabled)
            {
                return await RefuseForLimitAsync(ReasonCode.RetainNotSupported, nameof(TenantSettings.RetainEnabled), 0, "Retained messages are not available.").ConfigureAwait(false);
            }

            if (ExceedsTopicLimits(System.Text.Encoding.UTF8.GetByteCount(will.Topic), will.Topic.AsSpan().Count('/') + 1) is { } topicLimit)
            {
                return await RefuseForLimitAsync(ReasonCode.TopicNameInvalid, topicLimit.Setting, topicLimit.Limit, "Will topic: " + topicLimit.Message).ConfigureAwait(false);
            }

            if (will.Payload.Length > settings.MaxUserPayloadBytes)
            {
                return await RefuseForLimitAsync(ReasonCode.PacketTooLarge, nameof(TenantSettings.MaxUserPayloadBytes), settings.MaxUserPayloadBytes, $"Will payloads are limited to {settings.MaxUserPayloadBytes} bytes.").ConfigureAwait(false);
            }
        }

        _retainAvailable = _edge.Options.RetainAvailable && settings.RetainEnabled;
        _receiveMaximum = (ushort)Math.Min(_edge.Options.ReceiveMaximum, settings.ReceivingMaximum);
        _sessionExpiryInterval = Math.Min(_sessionExpiryInterval, settings.MaxSessionExpirySeconds);
        return true;
    }

    /// <summary>MaxConnections: a slot for this session in the tenant's usage grain, taken just before the session is attached.</summary>
    private async ValueTask<bool> AcquireTenantSlotAsync()
    {
        var max = _settings.MaxConnections;
        if (max <= 0)
        {
            return true;
        }

        bool acquired;
        try
        {
            acquired = await _edge.ConnectionLeases.TryAcquireAsync(_tenant, SessionKey!, ConnectionId, max)
                .WaitAsync(_edge.Options.GrainCallTimeout).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // Fail closed: the count could not be checked.
            LogSettingsFailed(_edge.Logger, exception, _tenant);
            RefuseConnect(EventType.ServerUnavailable, _version, ReasonCode.ServerUnavailable, "The tenant's connection count could not be checked.", reasonForEvent: exception.Message);
            return false;
        }

        if (!acquired)
        {
            return await RefuseForLimitAsync(ReasonCode.QuotaExceeded, nameof(TenantSettings.MaxConnections), max, $"The tenant allows {max} connections.").ConfigureAwait(false);
        }

        _holdsTenantSlot = true;
        return true;
    }

    /// <summary>At close: the slot goes back (a newer connection of the same session may have taken it over already).</summary>
    private void ReleaseTenantSlot()
    {
        if (_holdsTenantSlot)
        {
            _holdsTenantSlot = false;
            _edge.ConnectionLeases.Release(_tenant, SessionKey!, ConnectionId);
        }
    }

    /// <summary>
    /// A CONNECT over a tenant limit: CONNACK with the code (3.x: 3, server unavailable), after the failed-connect
    /// delay. The refusal is reported as the tenant out of that resource.
    /// </summary>
    private async ValueTask<bool> RefuseForLimitAsync(ReasonCode code, string setting, long limit, string message)
    {
        NoteLimitExceeded(setting, limit, message);
        await DelayFailedConnectAsync().ConfigureAwait(false);
        RefuseConnect(null, _version, code, message);
        return false;
    }

    /// <summary>
    /// The per-PUBLISH limits, in the read loop, without a grain call: MsgPubPerSec (0x96), RetainEnabled
    /// (0x9A), MaxTopicLength and MaxTopicLevels (0x90), MaxUserPayloadBytes (0x95). False: the connection closes.
    /// </summary>
    private bool CheckPublishLimits(ReadOnlySpan<byte> topic, int payloadLength, bool retain)
    {
        var settings = _settings;
        if (settings.MsgPubPerSec > 0 && !_publishRate.TryAcquire(_edge.Time.GetTimestamp(), settings.MsgPubPerSec, _edge.Time.TimestampFrequency))
        {
            return CloseForLimit(ReasonCode.MessageRateTooHigh, nameof(TenantSettings.MsgPubPerSec), settings.MsgPubPerSec, $"More than {settings.MsgPubPerSec} PUBLISH packets per second.");
        }

        if (retain && !_retainAvailable)
        {
            // Retain Available was 0 in CONNACK (section 3.2.2.3.5): a retained PUBLISH is answered with DISCONNECT 0x9A.
            return CloseForLimit(ReasonCode.RetainNotSupported, nameof(TenantSettings.RetainEnabled), 0, "Retained messages are not available.");
        }

        if (ExceedsTopicLimits(topic.Length, topic.Count((byte)'/') + 1) is { } topicLimit)
        {
            return CloseForLimit(ReasonCode.TopicNameInvalid, topicLimit.Setting, topicLimit.Limit, topicLimit.Message);
        }

        if (payloadLength > settings.MaxUserPayloadBytes)
        {
            return CloseForLimit(ReasonCode.PacketTooLarge, nameof(TenantSettings.MaxUserPayloadBytes), settings.MaxUserPayloadBytes, $"Payloads are limited to {settings.MaxUserPayloadBytes} bytes.");
        }

        return true;
    }

    /// <summary>MaxTopicLength (UTF-8 bytes) and MaxTopicLevels, for a topic name or a filter; null when within both.</summary>
    private (string Setting, int Limit, string Message)? ExceedsTopicLimits(int utf8Length, int levels)
    {
        if (utf8Length > _settings.MaxTopicLength)
        {
            return (nameof(TenantSettings.MaxTopicLength), _settings.MaxTopicLength, $"Topics are limited to {_settings.MaxTopicLength} bytes.");
        }

        if (levels > _settings.MaxTopicLevels)
        {
            return (nameof(TenantSettings.MaxTopicLevels), _settings.MaxTopicLevels, $"Topics are limited to {_settings.MaxTopicLevels} levels.");
        }

        return null;
    }

    /// <summary>
    /// A limit broken after CONNECT: 5.0 DISCONNECT with the code, 3.x a plain close. Reported twice, as the tenant
    /// out of the resource and as the disconnect's cause (exceed pub rate, resource throttled, ...), which the
    /// risk detector's rate-limit rule counts.
    /// </summary>
    private bool CloseForLimit(ReasonCode code, string setting, long limit, string message)
    {
        NoteLimitExceeded(setting, limit, message);
        SetCloseCause(code == ReasonCode.MessageRateTooHigh ? EventType.ExceedPubRate : EventType.ResourceThrottled, code, $"{setting}: {message}");
        Close(code, message, DetachReason.Abnormal);
        return false;
    }

    /// <summary>A tenant limit refused something: logged, and reported as the tenant out of that resource.</summary>
    private void NoteLimitExceeded(string setting, long limit, string message)
    {
        LogLimitExceeded(_edge.Logger, SessionKey ?? _tenant, setting, message);
        ReportTenantLimit(setting, limit, message);
    }
}
