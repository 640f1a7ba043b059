using System.Net;

namespace Bifro.Grains;

/// <summary>
/// One deny list as a replica holds it, at one version: immutable, so CONNECT looks it up without a
/// lock; a change builds the next one (bans are few).
/// </summary>
internal sealed class DenyListIndex
{
    public static readonly DenyListIndex Empty = new(-1, -1, []);

    private readonly Dictionary<string, BanEntry> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BanEntry> _byClientId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BanEntry> _byUser = new(StringComparer.Ordinal);
    private readonly Dictionary<IPAddress, BanEntry> _byAddress = new();
    private readonly List<(IPNetwork Network, BanEntry Ban)> _prefixes = new();

    public DenyListIndex(long epoch, long version, IEnumerable<BanEntry> bans)
    {
        Epoch = epoch;
        Version = version;
        foreach (var ban in bans)
        {
            Add(ban);
        }
    }

    public long Epoch { get; }

    public long Version { get; }

    public int Count => _byId.Count;

    public IEnumerable<BanEntry> Bans => _byId.Values;

    /// <summary>The next version: <paramref name="change"/> applied.</summary>
    public DenyListIndex With(DenyListChange change)
    {
        var bans = new List<BanEntry>(_byId.Count + 1);
        foreach (var ban in _byId.Values)
        {
            if (ban.Id != change.RemovedId && ban.Id != change.Added?.Id)
            {
                bans.Add(ban);
            }
        }

        if (change.Added is { } added)
        {
            bans.Add(added);
        }

        return new DenyListIndex(change.Epoch, change.Version, bans);
    }

    /// <summary>The first ban in force that matches: client id, then user, then address, then prefixes.</summary>
    public BanEntry? Find(string? clientId, string? user, IPAddress? address, DateTimeOffset now)
    {
        if (_byId.Count == 0)
        {
            return null;
        }

        if (clientId is not null && _byClientId.TryGetValue(clientId, out var ban) && !ban.IsExpired(now))
        {
            return ban;
        }

        if (user is not null && _byUser.TryGetValue(user, out ban) && !ban.IsExpired(now))
        {
            return ban;
        }

        if (address is null)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (_byAddress.TryGetValue(address, out ban) && !ban.IsExpired(now))
        {
            return ban;
        }

        foreach (var (network, prefixBan) in _prefixes)
        {
            if (network.Contains(address) && !prefixBan.IsExpired(now))
            {
                return prefixBan;
            }
        }

        return null;
    }

    private void Add(BanEntry ban)
    {
        _byId[ban.Id] = ban;
        switch (ban.Kind)
        {
            case BanKind.ClientId:
                _byClientId[ban.Value] = ban;
                break;
            case BanKind.User:
                _byUser[ban.Value] = ban;
                break;
            case BanKind.Address when BanValues.TryParseAddress(ban.Value, out var address):
                _byAddress[address] = ban;
                break;
            case BanKind.Cidr when IPNetwork.TryParse(ban.Value, out var network):
                _prefixes.Add((network, ban));
                break;
        }
    }
}
