using System.Collections.Immutable;
using Bifro.Configuration;
using Bifro.Hosting;
using Bifro.Runtime.Messaging;
using Bifro.Runtime.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bifro.Runtime.Membership;

/// <summary>
/// A cluster client's view (an edge-only node): it reads the membership table but never writes it,
/// finds the active silos' gateways there, and keeps a connection open to each, so that any silo can
/// call the client's observers back. It computes grain owners from the same ring as the silos, so calls
/// go straight to the owner's gateway; a silo whose view differs forwards them.
/// </summary>
internal sealed partial class ClientMembershipView : IMembershipViewProvider, ISiloParticipant, IDisposable
{
    // Gateway connections that closed are reopened this often; the table is read less often.
    private static readonly TimeSpan ReconnectPeriod = TimeSpan.FromSeconds(1);

    private readonly IMembershipTable _table;
    private readonly MessageCenter _messages;
    private readonly ConnectionManager _connections;
    private readonly ClusterMembershipOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ClientMembershipView> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private MembershipView _current = new(0, ImmutableDictionary<SiloAddress, SiloInfo>.Empty);
    private int _refreshRequested;
    private Task? _loop;

    public ClientMembershipView(
        IMembershipTable table,
        MessageCenter messages,
        ConnectionManager connections,
        IOptions<ClusterMembershipOptions> options,
        TimeProvider time,
        ILogger<ClientMembershipView> logger)
    {
        _table = table;
        _messages = messages;
        _connections = connections;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _messages.MembershipChanged += () => Interlocked.Exchange(ref _refreshRequested, 1);
    }

    public MembershipView Current => Volatile.Read(ref _current);

    public event Action<MembershipView>? ViewChanged;

    // Clients hold no grains, so nothing here lets go of another node's sessions.
    public event Action<string>? NodeLost
    {
        add { }
        remove { }
    }

    public int Stage => 2000;

    /// <summary>Waits for at least one active gateway (up to MaxJoinAttemptTime): an edge without one cannot attach a session.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _connections.Start(_messages);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.MaxJoinAttemptTime);
        var delay = TimeSpan.FromMilliseconds(200);
        var initialized = false;
        while (true)
        {
            try
            {
                if (!initialized)
                {
                    // Loads the table's queries; a client never creates the version row, silos do.
                    await _table.InitializeMembershipTable(tryInitTableVersion: false).ConfigureAwait(false);
                    initialized = true;
                }

                await RefreshAsync().ConfigureAwait(false);
                if (Current.Active.Length > 0)
                {
                    break;
                }

                LogNoGateway();
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogRefreshFailed(exception);
            }

            try
            {
                await Task.Delay(delay, _time, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new InvalidOperationException(
                    $"No active silo with a gateway was found in the membership table within {_options.MaxJoinAttemptTime} (Bifro:Cluster:Membership:MaxJoinAttemptTime).");
            }

            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
        }

        LogConnected(Current.Active.Length);
        _loop = RunAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
    }

    public void Dispose() => _stopping.Cancel();

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var nextRefresh = _time.GetTimestamp() + (long)(_options.TableRefreshTimeout.TotalSeconds * _time.TimestampFrequency);
        using var timer = new PeriodicTimer(ReconnectPeriod, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var now = _time.GetTimestamp();
                try
                {
                    if (Interlocked.Exchange(ref _refreshRequested, 0) == 1 || now >= nextRefresh)
                    {
                        await RefreshAsync().ConfigureAwait(false);
                        nextRefresh = now + (long)(_options.TableRefreshTimeout.TotalSeconds * _time.TimestampFrequency);
                    }
                    else
                    {
                        ConnectGateways(Current);
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogRefreshFailed(exception);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RefreshAsync()
    {
        var view = MembershipView.From(await _table.ReadAll().ConfigureAwait(false));
        var previous = Current;
        ConnectGateways(view);
        if (MembershipView.SameMembership(previous, view))
        {
            return;
        }

        Volatile.Write(ref _current, view);
        LogViewChanged(view.ToString());
        foreach (var (silo, info) in view.Silos)
        {
            if (info.Status == SiloStatus.Dead && previous.StatusOf(silo) != SiloStatus.Dead)
            {
                _connections.Forget(silo);
            }
        }

        ViewChanged?.Invoke(view);
    }

    /// <summary>Opens (or reopens) a connection to every active gateway.</summary>
    private void ConnectGateways(MembershipView view)
    {
        foreach (var silo in view.Active)
        {
            if (view.Silos[silo].GatewayPort > 0)
            {
                _connections.GetGatewayConnection(silo, view.Silos[silo].GatewayPort);
            }
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Cluster client connected to {Count} gateways")]
    private partial void LogConnected(int count);

    [LoggerMessage(2, LogLevel.Warning, "No active silo with a gateway in the membership table yet; waiting")]
    private partial void LogNoGateway();

    [LoggerMessage(3, LogLevel.Warning, "Reading the membership table failed; retrying")]
    private partial void LogRefreshFailed(Exception exception);

    [LoggerMessage(4, LogLevel.Information, "Membership changed: {View}")]
    private partial void LogViewChanged(string view);
}
