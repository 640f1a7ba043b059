using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Bifro.Runtime.Membership;

/// <summary>The connectivity check of a joining silo (Orleans' ValidateInitialConnectivity).</summary>
internal sealed partial class MembershipService
{
    private readonly ConcurrentDictionary<long, TaskCompletionSource> _joinProbes = new();

    /// <summary>
    /// Before it turns Active, a joining silo makes sure it can talk to every active silo that still writes
    /// IAmAlive. One that cannot (a certificate its peers do not trust, a firewall, a wrong advertised
    /// address) would otherwise become Active, take its share of the ring, and make the grains placed there
    /// unreachable, and the connections of their sessions close, until the others declared it dead. A silo
    /// that does not answer because it has just died drops out of the check once the others declare it
    /// dead, which the check waits for: up to three times as long as a death declaration takes.
    /// </summary>
    private async Task ValidateInitialConnectivityAsync(MembershipEntry own, CancellationToken cancellationToken)
    {
        var patience = _options.ProbeTimeout * (_options.NumMissedProbesLimit + 1) * 3;
        var giveUpAt = _time.GetUtcNow() + patience;
        var reached = new HashSet<SiloAddress>();
        while (true)
        {
            var data = await _table.ReadAll().ConfigureAwait(false);
            var staleBefore = _time.GetUtcNow().UtcDateTime - (_options.IAmAliveTablePublishTimeout * _options.NumMissedTableIAmAliveLimit);
            var pending = new List<SiloAddress>();
            foreach (var (entry, _) in data.Members)
            {
                if (entry.Status == SiloStatus.Active && !entry.SiloAddress.Equals(_local.SiloAddress)
                    && entry.IAmAliveTime >= staleBefore && !reached.Contains(entry.SiloAddress))
                {
                    pending.Add(entry.SiloAddress);
                }
            }

            if (pending.Count == 0)
            {
                return;
            }

            if (_time.GetUtcNow() > giveUpAt)
            {
                var unreachable = string.Join(", ", pending);
                LogConnectivityFailed(_local.SiloAddress, unreachable, patience);

                // Dead, not Joining: a silo that gave up never comes back under this generation.
                own.Status = SiloStatus.Dead;
                await ChangeOwnRowAsync(own, insert: false, cancellationToken).ConfigureAwait(false);
                throw new ClusterConnectivityException(
                    $"Silo {_local.SiloAddress} could not reach active silos {unreachable} within {patience.TotalSeconds:0} s, so it did not join. "
                    + "Check Bifro:Cluster:Transport (TLS certificate and CA bundle, AdvertisedAddress, ports) on every node.");
            }

            var probes = new Task<bool>[pending.Count];
            for (var i = 0; i < pending.Count; i++)
            {
                probes[i] = ProbeOnceAsync(pending[i], cancellationToken);
            }

            await Task.WhenAll(probes).ConfigureAwait(false);
            for (var i = 0; i < pending.Count; i++)
            {
                if (probes[i].Result)
                {
                    reached.Add(pending[i]);
                }
            }
        }
    }

    /// <summary>One ping; true when the answer comes within ProbeTimeout.</summary>
    private async Task<bool> ProbeOnceAsync(SiloAddress silo, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextProbeId);
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _joinProbes[id] = answered;
        try
        {
            _messages.Ping(silo, id);
            await answered.Task.WaitAsync(_options.ProbeTimeout, _time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            _joinProbes.TryRemove(id, out _);
        }
    }

    private void OnJoinPong(long probeId)
    {
        if (_joinProbes.TryGetValue(probeId, out var answered))
        {
            answered.TrySetResult();
        }
    }

    [LoggerMessage(11, LogLevel.Critical, "Silo {Silo} could not reach active silos {Unreachable} within {Patience}; it does not join the cluster")]
    private partial void LogConnectivityFailed(SiloAddress silo, string unreachable, TimeSpan patience);
}
