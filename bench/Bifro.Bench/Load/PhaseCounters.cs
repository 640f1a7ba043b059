namespace Bifro.Bench.Load;

/// <summary>What one subscriber saw of one phase. Written only by that subscriber's loop.</summary>
internal sealed class PhaseCounters
{
    private long _received;

    /// <summary>Messages received; read by the runner's watchdog while the loop writes it.</summary>
    public long Received => Volatile.Read(ref _received);

    /// <summary>Stopwatch ticks of the first and last receive, 0 before any.</summary>
    public long FirstReceive { get; private set; }

    public long LastReceive { get; private set; }

    public LatencyHistogram Latency { get; } = new();

    public void Record(long receivedAt, long sentAt)
    {
        if (_received == 0)
        {
            FirstReceive = receivedAt;
        }

        LastReceive = receivedAt;
        Volatile.Write(ref _received, _received + 1);
        Latency.Record(Clock.ToNanoseconds(receivedAt - sentAt));
    }
}
