using System.Collections.Concurrent;
using Bifro.Grains;
using Bifro.MqttEdge.Delivery;
using Bifro.Runtime;
using Microsoft.Extensions.Logging;

namespace Bifro.MqttEdge.Limits;

/// <summary>
/// This edge's side of the tenant setting MaxConnections: the slots its connections hold in each tenant's
/// <see cref="ITenantUsageGrain"/>, and a timer that renews this node's lease on them every
/// <see cref="RenewInterval"/> (a lease lasts <see cref="LeaseSeconds"/>, so a node that dies frees its
/// slots within that). Only tenants with a MaxConnections limit take slots, and only at CONNECT and close:
/// nothing here runs per message.
/// </summary>
internal sealed partial class TenantConnectionLeases : IDisposable
{
    public const int LeaseSeconds = 30;

    public static readonly TimeSpan RenewInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, string>> _tenants = new(StringComparer.Ordinal);
    private readonly IGrainFactory _grainFactory;
    private readonly EdgeNode _node;
    private readonly TimeProvider _time;
    private readonly ILogger<TenantConnectionLeases> _logger;
    private readonly Lock _timerGate = new();
    private ITimer? _timer;
    private int _renewing;

    public TenantConnectionLeases(IGrainFactory grainFactory, EdgeNode node, TimeProvider time, ILogger<TenantConnectionLeases> logger)
    {
        _grainFactory = grainFactory;
        _node = node;
        _time = time;
        _logger = logger;
    }

    /// <summary>Takes a slot in <paramref name="tenant"/> for the session; false when the tenant has <paramref name="maxConnections"/>.</summary>
    public async Task<bool> TryAcquireAsync(string tenant, string sessionKey, string connectionId, int maxConnections)
    {
        EnsureTimer();
        var acquired = await Usage(tenant).TryAcquireConnectionAsync(_node.Id, sessionKey, connectionId, maxConnections, LeaseSeconds).ConfigureAwait(false);
        if (acquired)
        {
            _tenants.GetOrAdd(tenant, static _ => new ConcurrentDictionary<string, string>(StringComparer.Ordinal))[sessionKey] = connectionId;
        }

        return acquired;
    }

    /// <summary>The connection closed: its slot goes back, unless a newer connection of the session took it over.</summary>
    public void Release(string tenant, string sessionKey, string connectionId)
    {
        if (_tenants.TryGetValue(tenant, out var held) && held.TryRemove(new KeyValuePair<string, string>(sessionKey, connectionId)))
        {
            Usage(tenant).ReleaseConnectionAsync(sessionKey, connectionId).ContinueWith(
                static (task, state) => LogReleaseFailed(((TenantConnectionLeases)state!)._logger, task.Exception?.GetBaseException()),
                this,
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    /// <summary>Renews this node's lease in every tenant it holds slots in; a tenant grain that lost count gets the full list.</summary>
    public async Task RenewAsync()
    {
        foreach (var (tenant, held) in _tenants)
        {
            try
            {
                var usage = Usage(tenant);
                if (!await usage.RenewConnectionsAsync(_node.Id, held.Count, LeaseSeconds).ConfigureAwait(false))
                {
                    var leases = held.Select(pair => new ConnectionLease(pair.Key, pair.Value)).ToArray();
                    await usage.SyncConnectionsAsync(_node.Id, leases, LeaseSeconds).ConfigureAwait(false);
                }
            }
            catch (Exception exception)
            {
                // The next round tries again; meanwhile the lease (three rounds long) holds.
                LogRenewFailed(_logger, exception, tenant);
            }
        }
    }

    public void Dispose()
    {
        lock (_timerGate)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    private ITenantUsageGrain Usage(string tenant) => _grainFactory.GetGrain<ITenantUsageGrain>(tenant);

    private void EnsureTimer()
    {
        if (_timer is not null)
        {
            return;
        }

        lock (_timerGate)
        {
            _timer ??= _time.CreateTimer(static state => ((TenantConnectionLeases)state!).OnTimer(), this, RenewInterval, RenewInterval);
        }
    }

    private void OnTimer()
    {
        // One round at a time: a slow round is not overtaken by the next.
        if (Interlocked.Exchange(ref _renewing, 1) == 1)
        {
            return;
        }

        _ = RenewAndResetAsync();
    }

    private async Task RenewAndResetAsync()
    {
        try
        {
            await RenewAsync().ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _renewing, 0);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Could not renew this node's connection slots of tenant {Tenant}")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, string tenant);

    [LoggerMessage(2, LogLevel.Warning, "Could not give a connection slot back; its node lease frees it")]
    private static partial void LogReleaseFailed(ILogger logger, Exception? exception);
}
