using System.Net;
using Bifro.Configuration;
using Bifro.Runtime;
using Bifro.Streams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bifro.Grains.Events;

/// <summary>
/// The risk detector of one event stream (a tenant's, or the cluster's: connections refused before a
/// tenant was known). For every rule (Bifro:Risk:Rules, with defaults) it counts matching events per key
/// in a sliding window; when a key reaches the rule's count, it bans that key through the deny list for
/// the rule's duration. The deny list's replicas then close the connections the ban matches (5.0
/// DISCONNECT 0x98), and the deny list reports the ban as an event. Counts live in memory: they are
/// short-lived by nature, and a lost activation only forgets part of a window.
/// </summary>
[ImplicitStreamSubscription(EventStreams.Namespace)]
internal sealed partial class RiskDetectorGrain : Grain, IRiskDetectorGrain, IStreamSubscriptionObserver, IAsyncObserver<BifroEvent>
{
    // Idle keys are forgotten this often, once their window has passed.
    private static readonly TimeSpan SweepPeriod = TimeSpan.FromMinutes(1);

    private readonly RiskRule[] _rules;
    private readonly List<IPNetwork> _exempt = new();
    private readonly Dictionary<(int Rule, string Key), RiskWindow> _windows = new();
    private readonly Dictionary<(string Scope, BanKind Kind, string Value), DateTimeOffset> _banned = new();
    private readonly TimeProvider _time;
    private readonly ILogger<RiskDetectorGrain> _logger;
    private long _received;
    private long _bans;
    private long _failedBans;

    public RiskDetectorGrain(IOptions<RiskOptions> options, TimeProvider time, ILogger<RiskDetectorGrain> logger)
    {
        _time = time;
        _logger = logger;
        var settings = options.Value;
        _rules = settings.Enabled ? settings.EffectiveRules().Select(r => new RiskRule(r.Key, r.Value)).ToArray() : [];
        foreach (var exempt in settings.ExemptAddresses)
        {
            if (IPNetwork.TryParse(exempt, out var network))
            {
                _exempt.Add(network);
            }
            else if (BanValues.TryParseAddress(exempt, out var address))
            {
                _exempt.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
        }
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(SweepAsync, SweepPeriod, SweepPeriod);
        return Task.CompletedTask;
    }

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<BifroEvent>().ResumeAsync(this).ConfigureAwait(true);

    public async Task OnNextAsync(BifroEvent item, StreamSequenceToken? token = null)
    {
        _received++;
        for (var i = 0; i < _rules.Length; i++)
        {
            var rule = _rules[i];
            if (!rule.Counts(item.Type) || rule.KeyOf(item, out var address) is not { } key || IsExempt(address))
            {
                continue;
            }

            var window = GetWindow(i, key, rule.Count);
            var ticks = (item.Time == default ? _time.GetUtcNow() : item.Time).UtcTicks;
            if (!window.Add(ticks, rule.Window))
            {
                continue;
            }

            window.Reset();
            await BanAsync(rule, key, item).ConfigureAwait(true);
        }
    }

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;

    public Task<RiskDetectorStatus> GetStatusAsync() => Task.FromResult(new RiskDetectorStatus
    {
        Received = _received,
        TrackedKeys = _windows.Count,
        Bans = _bans,
        FailedBans = _failedBans,
    });

    private RiskWindow GetWindow(int rule, string key, int count)
    {
        if (!_windows.TryGetValue((rule, key), out var window))
        {
            window = new RiskWindow(count);
            _windows[(rule, key)] = window;
        }

        return window;
    }

    private bool IsExempt(IPAddress? address)
    {
        if (address is null || _exempt.Count == 0)
        {
            return false;
        }

        foreach (var network in _exempt)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    private async Task BanAsync(RiskRule rule, string key, BifroEvent trigger)
    {
        var scope = rule.ScopeFor(trigger);
        var now = _time.GetUtcNow();
        if (_banned.TryGetValue((scope, rule.BanKind, key), out var until) && until > now)
        {
            // Events already on their way when the ban was made: the ban stands.
            return;
        }

        try
        {
            var ban = await GrainFactory.GetGrain<IDenyListGrain>(scope).AddAsync(new BanRequest
            {
                Kind = rule.BanKind,
                Value = key,
                Duration = rule.BanDuration,
                Reason = $"{rule.Count} events such as {trigger.Type} within {rule.Window} (rule {rule.Name})",
                Source = "rule:" + rule.Name,
                TriggerClientId = trigger.ClientId,
                TriggerUserId = trigger.UserId,
                TriggerAddress = trigger.RemoteAddress,
                TriggerCount = rule.Count,
            }).ConfigureAwait(true);
            _banned[(scope, rule.BanKind, key)] = ban.ExpiresAt ?? DateTimeOffset.MaxValue;
            _bans++;
            LogBanned(rule.Name, rule.BanKind, key, scope, rule.BanDuration);
        }
        catch (Exception exception)
        {
            _failedBans++;
            LogBanFailed(exception, rule.Name, key, scope);
        }
    }

    private Task SweepAsync()
    {
        var now = _time.GetUtcNow();
        foreach (var ((rule, key), window) in _windows.ToList())
        {
            if (now.UtcTicks - window.LastTicks > _rules[rule].Window.Ticks)
            {
                _windows.Remove((rule, key));
            }
        }

        foreach (var (banned, until) in _banned.ToList())
        {
            if (until <= now)
            {
                _banned.Remove(banned);
            }
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(1, LogLevel.Warning, "Risk rule {Rule} hit: banning {Kind} {Key} in deny list {Scope} for {Duration}")]
    private partial void LogBanned(string rule, BanKind kind, string key, string scope, TimeSpan duration);

    [LoggerMessage(2, LogLevel.Error, "Risk rule {Rule} could not ban {Key} in deny list {Scope}")]
    private partial void LogBanFailed(Exception exception, string rule, string key, string scope);
}
