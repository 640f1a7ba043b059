using Bifro.Runtime;
using Microsoft.Extensions.Options;

namespace Bifro.Grains.Retain;

/// <summary>
/// Retained messages of one shard of a tenant, one stored item per topic. The tenant's MaxRetainedTopics is
/// checked when a new topic would be stored (replacing or clearing costs nothing): this shard's count plus
/// the other shards'. Shards storing new topics at the same moment may each pass, so the limit can be
/// exceeded by a few topics under such a race.
/// </summary>
internal sealed class RetainGrain : Grain, IRetainGrain
{
    private readonly IPersistentCollection<MqttMessage> _retained;
    private readonly TimeProvider _time;
    private readonly ISettingProvider? _settings;
    private readonly int _shards;

    public RetainGrain(
        [PersistentCollection("retained")] IPersistentCollection<MqttMessage> retained,
        TimeProvider time,
        ISettingProvider? settings = null,
        IOptions<ShardingOptions>? sharding = null)
    {
        _retained = retained;
        _time = time;
        _settings = settings;
        _shards = sharding?.Value.RetainShards ?? new ShardingOptions().RetainShards;
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
            if (result == RetainResult.Stored && await IsFullAsync().ConfigureAwait(true))
            {
                return RetainResult.QuotaExceeded;
            }

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

    /// <summary>Whether the tenant has its MaxRetainedTopics already, counting every shard.</summary>
    private async Task<bool> IsFullAsync()
    {
        if (_settings is null)
        {
            return false;
        }

        var key = this.GetPrimaryKeyString();
        var tenant = SessionKey.TenantOf(key);
        var max = (await _settings.GetSettingsAsync(tenant, CancellationToken.None).ConfigureAwait(true)).MaxRetainedTopics;
        if (max <= 0)
        {
            return false;
        }

        var total = _retained.Count;
        if (total >= max)
        {
            return true;
        }

        var others = new List<Task<int>>(_shards);
        for (var shard = 0; shard < _shards; shard++)
        {
            var shardKey = SessionKey.Shard(tenant, shard);
            if (!string.Equals(shardKey, key, StringComparison.Ordinal))
            {
                others.Add(GrainFactory.GetGrain<IRetainGrain>(shardKey).CountAsync());
            }
        }

        foreach (var count in await Task.WhenAll(others).ConfigureAwait(true))
        {
            total += count;
        }

        return total >= max;
    }
}
