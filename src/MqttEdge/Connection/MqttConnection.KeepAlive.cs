using Bifro.Grains;
using Bifro.MqttEdge.Codec;

namespace Bifro.MqttEdge.Connection;

/// <summary>Timeouts, checked by the edge's one heartbeat rather than a timer per connection.</summary>
internal sealed partial class MqttConnection
{
    /// <summary>Closes a connection that sent no CONNECT (or finished no AUTH exchange) in time, or went quiet past 1.5 × its keep alive.</summary>
    public void CheckTimeouts(long nowTicks)
    {
        // Drops counted since the last beat become events now, at most one per QoS and reason.
        if (_drops is not null)
        {
            FlushDrops();
        }

        var phase = _phase;
        if (phase is ConnectionPhase.AwaitingConnect or ConnectionPhase.Authenticating)
        {
            if (nowTicks - _startedTicks > (long)_edge.Options.ConnectTimeout.TotalMilliseconds)
            {
                LogConnectTimeout(_edge.Logger, RemoteEndPoint);
                ReportRefused(EventType.ConnectTimeout, null, phase == ConnectionPhase.AwaitingConnect ? "No CONNECT in time." : "The AUTH exchange did not end in time.");
                Abort(DetachReason.Abnormal);
            }

            return;
        }

        if (phase == ConnectionPhase.Connected && _keepAliveMilliseconds > 0
            && nowTicks - Volatile.Read(ref _lastReceivedTicks) > _keepAliveMilliseconds)
        {
            // [MQTT-3.1.2-24] Nothing received for one and a half keep-alive periods: 5.0 gets 0x8D, and the will is published.
            LogKeepAliveTimeout(_edge.Logger, SessionKey, _keepAliveMilliseconds / 1500);
            SetCloseCause(EventType.Idle, ReasonCode.KeepAliveTimeout, $"Nothing received for {_keepAliveMilliseconds} ms.");
            Close(ReasonCode.KeepAliveTimeout, "Keep alive timeout.", DetachReason.Abnormal);
        }
    }
}
