using Bifro.Runtime.Messaging;
using Microsoft.Extensions.Logging;

namespace Bifro.Runtime.Streams;

/// <summary>
/// The rendezvous of one stream (see <see cref="IStreamPubSubGrain"/>). State lives in memory and is
/// rebuilt by the nodes' re-registration after a membership change; the epoch, taken from the clock,
/// lets producers prefer this activation's lists over an older one's.
/// </summary>
[GrainType("sys.streampubsub")]
internal sealed partial class StreamPubSubGrain : Grain, IStreamPubSubGrain
{
    // How long a change waits for producers to hear of it; a producer that does not answer in time
    // learns it at its next registration.
    private static readonly TimeSpan NotifyTimeout = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, (long Revision, bool Consuming)> _consumers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _producers = new(StringComparer.Ordinal);
    private readonly ILogger<StreamPubSubGrain> _logger;
    private readonly long _epoch;
    private string _provider = string.Empty;
    private StreamId _streamId;
    private long _version;

    public StreamPubSubGrain(TimeProvider time, ILogger<StreamPubSubGrain> logger)
    {
        _logger = logger;
        _epoch = time.GetUtcNow().UtcTicks;
    }

    public Task<StreamConsumerNodes> RegisterProducerAsync(string provider, StreamId streamId, string node)
    {
        Remember(provider, streamId);
        _producers.Add(node);
        KeepAlive();
        return Task.FromResult(Snapshot());
    }

    public async Task SetConsumerAsync(string provider, StreamId streamId, string node, long revision, bool consuming)
    {
        Remember(provider, streamId);
        if (_consumers.TryGetValue(node, out var known) && known.Revision > revision)
        {
            return;
        }

        var changed = !_consumers.TryGetValue(node, out known) ? consuming : known.Consuming != consuming;
        _consumers[node] = (revision, consuming);
        KeepAlive();
        if (changed)
        {
            _version++;
            await NotifyProducersAsync().ConfigureAwait(true);
        }
    }

    public async Task NodeLostAsync(string node)
    {
        _producers.Remove(node);
        if (_consumers.Remove(node, out var lost) && lost.Consuming)
        {
            _version++;
            await NotifyProducersAsync().ConfigureAwait(true);
        }

        KeepAlive();
    }

    private void Remember(string provider, StreamId streamId)
    {
        _provider = provider;
        _streamId = streamId;
    }

    /// <summary>Stays while anyone produces or consumes: its lists are all there is.</summary>
    private void KeepAlive()
    {
        var anyConsumer = false;
        foreach (var (_, state) in _consumers)
        {
            anyConsumer |= state.Consuming;
        }

        DelayDeactivation(anyConsumer || _producers.Count > 0 ? TimeSpan.MaxValue : TimeSpan.Zero);
    }

    private StreamConsumerNodes Snapshot()
    {
        var nodes = new List<string>(_consumers.Count);
        foreach (var (node, state) in _consumers)
        {
            if (state.Consuming)
            {
                nodes.Add(node);
            }
        }

        return new StreamConsumerNodes { Provider = _provider, StreamId = _streamId, Epoch = _epoch, Version = _version, Nodes = [.. nodes] };
    }

    private async Task NotifyProducersAsync()
    {
        if (_producers.Count == 0)
        {
            return;
        }

        var snapshot = Snapshot();
        var name = StreamNodeTargetNames.For(_provider);
        var calls = new List<Task>(_producers.Count);
        foreach (var producer in _producers)
        {
            calls.Add(GrainFactory.GetGrain<IStreamNodeTarget>(ObserverRegistry.WellKnownId(producer, name)).OnConsumersChangedAsync(snapshot));
        }

        try
        {
            await Task.WhenAll(calls).WaitAsync(NotifyTimeout).ConfigureAwait(true);
        }
        catch (Exception exception)
        {
            // A producer that did not hear it learns the list when it registers again (after a membership change).
            LogNotifyFailed(exception, _streamId, _provider);
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "Not every producer of stream {StreamId} ({Provider}) heard of its new consumers")]
    private partial void LogNotifyFailed(Exception exception, StreamId streamId, string provider);
}
