using System.Net;
using Bifro.Configuration;

namespace Bifro.Grains.Events;

/// <summary>What a risk rule counts per.</summary>
internal enum RiskKey
{
    ClientId,
    User,
    Address,
    AddressPrefix,
}

/// <summary>A risk rule, checked once from its <see cref="RiskRuleOptions"/>.</summary>
internal sealed class RiskRule
{
    private readonly HashSet<EventType> _events;
    private readonly int _prefixV4;
    private readonly int _prefixV6;
    private readonly string _scope;

    public RiskRule(string name, RiskRuleOptions options)
    {
        Name = name;
        _events = options.Events.Select(e => EventTypes.TryParse(e, out var type) ? type : (EventType?)null).OfType<EventType>().ToHashSet();
        Key = Enum.Parse<RiskKey>(options.Key, ignoreCase: true);
        Count = options.Count;
        Window = options.Window;
        BanDuration = options.BanDuration;
        _prefixV4 = options.PrefixLengthV4;
        _prefixV6 = options.PrefixLengthV6;
        _scope = options.Scope.ToLowerInvariant();
    }

    public string Name { get; }

    public RiskKey Key { get; }

    public int Count { get; }

    public TimeSpan Window { get; }

    public TimeSpan BanDuration { get; }

    public bool Counts(EventType type) => _events.Contains(type);

    /// <summary>The value counted for <paramref name="e"/> (and banned at a hit); null when the event has none.</summary>
    public string? KeyOf(BifroEvent e, out IPAddress? address)
    {
        address = null;
        switch (Key)
        {
            case RiskKey.ClientId:
                return string.IsNullOrEmpty(e.ClientId) ? null : e.ClientId;
            case RiskKey.User:
                return string.IsNullOrEmpty(e.UserId) ? (e as ConnectionRefusedEvent)?.Username : e.UserId;
        }

        if (!BanValues.TryParseAddress(e.RemoteAddress, out var parsed))
        {
            return null;
        }

        address = parsed;
        return Key == RiskKey.Address
            ? parsed.ToString()
            : BanValues.PrefixOf(parsed, parsed.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? _prefixV4 : _prefixV6);
    }

    public BanKind BanKind => Key switch
    {
        RiskKey.ClientId => BanKind.ClientId,
        RiskKey.User => BanKind.User,
        RiskKey.Address => BanKind.Address,
        _ => BanKind.Cidr,
    };

    /// <summary>The deny list a hit bans in: see <see cref="RiskRuleOptions.Scope"/>.</summary>
    public string ScopeFor(BifroEvent e) => _scope switch
    {
        "cluster" => DenyListScopes.Cluster,
        "tenant" => e.TenantId ?? DenyListScopes.Cluster,
        _ => Key is RiskKey.Address or RiskKey.AddressPrefix ? DenyListScopes.Cluster : e.TenantId ?? DenyListScopes.Cluster,
    };
}

/// <summary>The times of the last <c>count</c> matching events of one key: a hit when they all fall within the window.</summary>
internal sealed class RiskWindow
{
    private readonly long[] _ticks;
    private int _next;
    private int _filled;

    public RiskWindow(int count) => _ticks = new long[count];

    public long LastTicks { get; private set; }

    /// <summary>Records an event at <paramref name="ticks"/>; true when <c>count</c> events fell within <paramref name="window"/>.</summary>
    public bool Add(long ticks, TimeSpan window)
    {
        _ticks[_next] = ticks;
        _next = (_next + 1) % _ticks.Length;
        _filled = Math.Min(_filled + 1, _ticks.Length);
        LastTicks = Math.Max(LastTicks, ticks);
        if (_filled < _ticks.Length)
        {
            return false;
        }

        // The oldest of the last count events is where the next one goes.
        return ticks - _ticks[_next] <= window.Ticks;
    }

    public void Reset()
    {
        _next = 0;
        _filled = 0;
    }
}
