using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Bifro.Grains.Events;

/// <summary>
/// One collector behind its own bounded queue and loop: <see cref="Offer"/> never waits, and what does not
/// fit is dropped and counted, so a slow collector misses events instead of slowing anything else.
/// </summary>
internal sealed partial class CollectorRunner
{
    private const int MaxBatch = 256;

    private readonly Channel<BifroEvent> _queue;
    private readonly IEventCollector _collector;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private long _delivered;
    private long _dropped;
    private long _failed;
    private int _droppingLogged;

    // Drops as of the last "caught up" report: each report says how many were missed since the one before.
    private long _droppedReported;

    public CollectorRunner(string name, IEventCollector collector, int capacity, ILogger logger)
    {
        Name = name;
        _collector = collector;
        _logger = logger;
        _queue = Channel.CreateBounded<BifroEvent>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _loop = Task.Run(RunAsync);
    }

    public string Name { get; }

    public IEventCollector Collector => _collector;

    public EventCollectorCounters Counters => new(
        Name, _queue.Reader.Count, Interlocked.Read(ref _delivered), Interlocked.Read(ref _dropped), Interlocked.Read(ref _failed));

    /// <summary>Queues an event for the collector; false (counted) when its queue is full.</summary>
    public bool Offer(BifroEvent e)
    {
        if (_queue.Writer.TryWrite(e))
        {
            return true;
        }

        Interlocked.Increment(ref _dropped);
        if (Interlocked.Exchange(ref _droppingLogged, 1) == 0)
        {
            LogCollectorTooSlow(Name);
        }

        return false;
    }

    /// <summary>Lets the queue drain for up to <paramref name="grace"/>, then stops the loop.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        _queue.Writer.TryComplete();
        try
        {
            await _loop.WaitAsync(grace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        LogCollectorStopped(Name, Interlocked.Read(ref _delivered), Interlocked.Read(ref _dropped), _queue.Reader.Count, Interlocked.Read(ref _failed));
        if (_collector is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }
        else if (_collector is IDisposable plain)
        {
            plain.Dispose();
        }
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<BifroEvent>(MaxBatch);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var e))
            {
                batch.Add(e);
            }

            try
            {
                await _collector.ReportAsync(batch.ToArray(), _stopping.Token).ConfigureAwait(false);
                Interlocked.Add(ref _delivered, batch.Count);
            }
            catch (Exception exception) when (!_stopping.IsCancellationRequested)
            {
                Interlocked.Add(ref _failed, batch.Count);
                LogCollectorFailed(exception, Name, batch.Count);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            batch.Clear();
            if (reader.Count == 0 && Interlocked.Exchange(ref _droppingLogged, 0) == 1)
            {
                // Behind no more: say what it missed meanwhile (the meter has the running total too).
                var dropped = Interlocked.Read(ref _dropped);
                if (dropped > _droppedReported)
                {
                    LogCollectorCaughtUp(Name, dropped - _droppedReported, dropped);
                    _droppedReported = dropped;
                }
            }
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Event collector {Collector} does not keep up: its queue is full and new events are dropped for it (Bifro:Events:CollectorQueueSize)")]
    private partial void LogCollectorTooSlow(string collector);

    [LoggerMessage(2, LogLevel.Warning, "Event collector {Collector} failed on a batch of {Count} events")]
    private partial void LogCollectorFailed(Exception exception, string collector, int count);

    [LoggerMessage(3, LogLevel.Warning, "Event collector {Collector} caught up: it missed {Missed} events while behind ({Dropped} in all)")]
    private partial void LogCollectorCaughtUp(string collector, long missed, long dropped);

    [LoggerMessage(4, LogLevel.Information, "Event collector {Collector} stopped: {Delivered} events delivered, {Dropped} dropped while it was behind, {Queued} left in its queue, {Failed} in failed batches")]
    private partial void LogCollectorStopped(string collector, long delivered, long dropped, int queued, long failed);
}
