namespace Bifro.Bench.Load;

/// <summary>The paced loop: a fixed rate for a fixed count, driven by a 1 ms timer.</summary>
internal sealed partial class Publisher
{
    private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(1);

    public Task RunPacedAsync(byte phase, long count, double perSecond) => Task.Run(() => PacedLoopAsync(phase, count, perSecond));

    /// <summary>
    /// Each tick sends what is due by the clock (so a late tick catches up instead of lowering the rate) and
    /// reads acks the kernel already holds, without blocking (it waits for one only when the window is full):
    /// one loop, no second task, no allocation per tick (<see cref="PeriodicTimer"/> reuses its awaitable).
    /// </summary>
    private async Task PacedLoopAsync(byte phase, long count, double perSecond)
    {
        Reset();
        using var timer = new PeriodicTimer(s_tick);
        var start = Clock.Now;
        var perTick = perSecond / System.Diagnostics.Stopwatch.Frequency;
        while (true)
        {
            // A full window also reads (blocking): nothing can be sent until an ack comes, and over TLS an ack
            // the SslStream already took from the kernel does not show in Available.
            if (_template.Qos > 0 && (_connection.Available > 0 || _sent - _acked >= _window))
            {
                await ReceiveAcksAsync();
            }

            if (_sent < count)
            {
                var due = Math.Min(count, (long)((Clock.Now - start) * perTick) + 1) - _sent;
                var n = (int)Math.Min(Math.Min(due, _window - (_sent - _acked)), _batchLimit);
                if (n > 0)
                {
                    WritePublishes(phase, n);
                    await FlushAsync(n);
                }
            }

            if (_sent == count)
            {
                if (_template.Qos == 0 || _acked >= count)
                {
                    break;
                }

                await ReceiveAcksAsync();
                continue;
            }

            await timer.WaitForNextTickAsync();
        }

        await FinishAsync();
    }
}
