namespace Bifro.MqttEdge.Limits;

/// <summary>
/// A rate limit with a burst of one second's worth, as the generic cell rate algorithm keeps it: one
/// timestamp (the theoretical arrival time of the next event), no timer, no allocation. An event is
/// allowed while that time is less than a second ahead of now. Not thread-safe: a connection's own
/// limit is used by its read loop only; shared ones lock around it.
/// </summary>
internal struct RateLimit
{
    private long _theoreticalArrival;

    /// <summary>Counts one event at <paramref name="now"/> (a TimeProvider timestamp) if <paramref name="perSecond"/> allows it.</summary>
    public bool TryAcquire(long now, int perSecond, long frequency)
    {
        var interval = Math.Max(1, frequency / perSecond);
        var tolerance = interval * (perSecond - 1);
        var arrival = Math.Max(_theoreticalArrival, now);
        if (arrival - now > tolerance)
        {
            return false;
        }

        _theoreticalArrival = arrival + interval;
        return true;
    }
}
