using Bifro.Grains.Events;

namespace Bifro.Grains.Session;

/// <summary>The session's events: start and stop, and its will's fate.</summary>
internal sealed partial class SessionGrain
{
    private void ReportSession(EventType type, string? reason)
    {
        if (!_events.IsEnabled)
        {
            return;
        }

        _events.Report(new SessionEvent
        {
            Type = type,
            TenantId = Tenant,
            ClientId = SessionKey.ClientIdOf(Key),
            UserId = S.UserId,
            RemoteAddress = _remoteAddress,
            Persistent = S.Persistent,
            SessionExpiryInterval = S.SessionExpiryInterval,
            Reason = reason,
        });
    }

    private void ReportWill(EventType type, MqttMessage message, string? reason)
    {
        if (!_events.IsEnabled)
        {
            return;
        }

        _events.Report(new PublishEvent
        {
            Type = type,
            TenantId = Tenant,
            ClientId = SessionKey.ClientIdOf(Key),
            UserId = S.UserId,
            RemoteAddress = _remoteAddress,
            Topic = message.Topic,
            QoS = message.QoS,
            Retain = message.Retain,
            PayloadSize = message.Payload.Length,
            Reason = reason,
        });
    }

    /// <summary>The IP address of "address:port" (as the connection reports its peer).</summary>
    private static string? AddressOf(string? endpoint) =>
        endpoint is null ? null : System.Net.IPEndPoint.TryParse(endpoint, out var parsed) ? parsed.Address.ToString() : endpoint;
}
