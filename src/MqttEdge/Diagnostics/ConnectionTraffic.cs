namespace Bifro.MqttEdge.Diagnostics;

/// <summary>
/// One connection's PUBLISH counts and payload bytes, by direction and QoS. Only the connection's reader
/// increments the received side and only its writer (one drain at a time) the sent side, so the increments
/// are plain additions: no interlocked operation, no shared cache line on the hot path. Collectors read the
/// fields from another thread; a 64-bit read is atomic here and a value a moment old is fine for a counter.
/// Allocated at a connection's first PUBLISH, so idle connections carry none.
/// </summary>
internal sealed class ConnectionTraffic
{
    /// <summary>Messages, then payload bytes, received then sent, by QoS: index = direction * 6 + kind * 3 + qos.</summary>
    public readonly long[] Values = new long[12];

    /// <summary>Set once the connection's totals were added to the closed connections' totals; later counts are ignored.</summary>
    public bool Folded;

    public const int Received = 0;
    public const int Sent = 6;
    public const int Messages = 0;
    public const int Bytes = 3;
}
