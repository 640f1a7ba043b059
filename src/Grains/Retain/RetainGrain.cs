using Bifro.Runtime;

namespace Bifro.Grains.Retain;

/// <summary>Retained messages of one shard of a tenant, one stored item per topic.</summary>
internal sealed class RetainGrain : Grain, IRetainGrain
{
    private readonly IPersistentCollection<MqttMessage> _retained;
    private readonly TimeProvider _time;

    public RetainGrain([PersistentCollection("retained")] IPersistentCollection<MqttMessage> retained, TimeProvider time)
    {
        _retained = retained;
        _time = time;
    }

    public async Task<RetainResult> SetAsync(MqttMessage message)
    {
        RetainResult result;
        if (message.Payload.Length == 0)
        {
            // [MQTT-3.3.1-6] A retained message with an empty payload removes the topic's retained message.
            result = _retained.Remove(message.Topic) ? RetainResult.Cleared : RetainResult.NothingToClear;
        }
        else
        {
            result = _retained.TryGet(message.Topic, out _) ? RetainResult.Replaced : RetainResult.Stored;
            _retained.Set(message.Topic, message);
        }

        if (_retained.HasPendingChanges)
        {
            await _retained.WriteAsync().ConfigureAwait(true);
        }

        return result;
    }

    public Task<MqttMessage[]> MatchAsync(string filter, int limit)
    {
        var now = _time.GetUtcNow().UtcTicks;
        var matches = new List<MqttMessage>();
        if (!filter.Contains('+') && !filter.Contains('#'))
        {
            if (_retained.TryGet(filter, out var exact) && !exact.IsExpired(now))
            {
                matches.Add(exact);
            }

            return Task.FromResult(matches.ToArray());
        }

        foreach (var (topic, message) in _retained.Items)
        {
            if (matches.Count >= limit)
            {
                break;
            }

            if (!message.IsExpired(now) && TopicFilter.Matches(filter, topic))
            {
                matches.Add(message);
            }
        }

        return Task.FromResult(matches.ToArray());
    }

    public Task<int> CountAsync() => Task.FromResult(_retained.Count);
}
