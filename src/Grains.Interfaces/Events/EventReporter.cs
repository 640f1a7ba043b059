using System.Threading.Channels;
using Bifro.Configuration;
using Bifro.Runtime;
using Bifro.Runtime.Messaging;
using Bifro.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bifro.Grains;

/// <summary>
/// This node's <see cref="IEventReporter"/>: a bounded queue that one loop drains into the event streams.
/// Reporting is a TryWrite (no lock held for long, no allocation but the event itself) and never waits; a
/// full queue drops the new event and counts it. The loop keeps the order events were reported in, so the
/// events of one connection reach every consumer in order.
/// </summary>
internal sealed partial class EventReporter : IEventReporter, IDisposable
{
    // Events moved into the streams per pass; the streams' own buffers do the rest.
    private const int MaxBatch = 256;

    private readonly Channel<BifroEvent> _queue;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ILogger<EventReporter> _logger;
    private readonly Dictionary<string, IAsyncStream<BifroEvent>> _streams = new(StringComparer.Ordinal);
    private readonly bool _enabled;
    private IStreamProvider? _provider;
    private string? _node;
    private int _started;
    private long _reported;
    private long _dropped;
    private long _failed;
    private int _droppingLogged;

    public EventReporter(IOptions<EventOptions> options, IServiceProvider services, TimeProvider time, ILogger<EventReporter> logger)
    {
        _services = services;
        _time = time;
        _logger = logger;
        _enabled = options.Value.Enabled && services.GetKeyedService<IStreamProvider>(EventStreams.ProviderName) is not null;
        _queue = Channel.CreateBounded<BifroEvent>(new BoundedChannelOptions(Math.Max(1, options.Value.QueueSize))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public bool IsEnabled => _enabled;

    /// <summary>Events accepted into the queue.</summary>
    public long Reported => Interlocked.Read(ref _reported);

    /// <summary>Events dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Events the streams refused (a provider stopping).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    public bool Report(BifroEvent e)
    {
        if (!_enabled)
        {
            return false;
        }

        if (e.Time == default)
        {
            e.Time = _time.GetUtcNow();
        }

        if (e.Node.Length == 0)
        {
            e.Node = _node ??= _services.GetRequiredService<ILocalSiloDetails>().NodeIdentity;
        }

        if (!_queue.Writer.TryWrite(e))
        {
            Interlocked.Increment(ref _dropped);
            if (Interlocked.Exchange(ref _droppingLogged, 1) == 0)
            {
                LogDropping(_queue.Reader.Count);
            }

            return false;
        }

        Interlocked.Increment(ref _reported);
        if (_started == 0 && Interlocked.Exchange(ref _started, 1) == 0)
        {
            _ = Task.Run(DrainAsync);
        }

        return true;
    }

    public void Dispose() => _queue.Writer.TryComplete();

    private async Task DrainAsync()
    {
        _provider = _services.GetRequiredKeyedService<IStreamProvider>(EventStreams.ProviderName);
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                var moved = 0;
                while (moved < MaxBatch && reader.TryRead(out var e))
                {
                    Produce(e);
                    moved++;
                }

                // The queue drained below its limit: a later overflow is worth a log line again.
                Volatile.Write(ref _droppingLogged, 0);
            }
        }
        catch (Exception exception)
        {
            LogDrainFailed(exception);
        }
    }

    private void Produce(BifroEvent e)
    {
        var key = e.StreamKey;
        if (!_streams.TryGetValue(key, out var stream))
        {
            stream = _provider!.GetStream<BifroEvent>(EventStreams.Namespace, key);
            _streams[key] = stream;
        }

        // The memory provider accepts synchronously: the task is complete when it returns.
        var produced = stream.OnNextAsync(e);
        if (!produced.IsCompletedSuccessfully)
        {
            Interlocked.Increment(ref _failed);
            produced.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "The event queue is full ({Count} events): new events are dropped until it drains (Bifro:Events:QueueSize)")]
    private partial void LogDropping(int count);

    [LoggerMessage(2, LogLevel.Error, "The event queue's loop failed; events are no longer delivered")]
    private partial void LogDrainFailed(Exception exception);
}
