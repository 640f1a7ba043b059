namespace Bifro.Configuration;

/// <summary>The risk detector, bound from "Bifro:Risk".</summary>
public sealed class RiskOptions
{
    public const string SectionName = "Bifro:Risk";

    /// <summary>Whether the detector runs (true by default).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Whether the default rules apply (true by default); a rule in <see cref="Rules"/> with a default's name replaces it.</summary>
    public bool DefaultRules { get; set; } = true;

    /// <summary>Rules by name.</summary>
    public Dictionary<string, RiskRuleOptions> Rules { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Addresses and CIDR prefixes never banned by a rule (none by default): load balancers' health checks, monitoring.</summary>
    public List<string> ExemptAddresses { get; set; } = [];

    /// <summary>The rules that apply: the defaults (unless turned off) with <see cref="Rules"/> over them, less the disabled ones.</summary>
    public IReadOnlyDictionary<string, RiskRuleOptions> EffectiveRules()
    {
        var rules = new Dictionary<string, RiskRuleOptions>(StringComparer.OrdinalIgnoreCase);
        if (DefaultRules)
        {
            foreach (var (name, rule) in Defaults())
            {
                rules[name] = rule;
            }
        }

        foreach (var (name, rule) in Rules)
        {
            rules[name] = rule;
        }

        foreach (var name in rules.Where(r => !r.Value.Enabled).Select(r => r.Key).ToList())
        {
            rules.Remove(name);
        }

        return rules;
    }

    /// <summary>
    /// The default rules: a client that keeps sending malformed packets, fails authentication again and again,
    /// reconnects in a storm (flapping), or keeps exceeding its rate limits.
    /// </summary>
    public static IReadOnlyDictionary<string, RiskRuleOptions> Defaults() => new Dictionary<string, RiskRuleOptions>(StringComparer.OrdinalIgnoreCase)
    {
        ["malformed-packets"] = new()
        {
            Events = ["ProtocolError", "BadPacket", "MalformedClientId", "MalformedUsername", "MalformedWillTopic", "MalformedTopic", "MalformedTopicFilter"],
            Key = "Address",
            Count = 10,
            Window = TimeSpan.FromMinutes(1),
            BanDuration = TimeSpan.FromMinutes(10),
        },
        ["auth-failures"] = new()
        {
            Events = ["Unauthenticated", "NotAuthorized"],
            Key = "Address",
            Count = 10,
            Window = TimeSpan.FromMinutes(1),
            BanDuration = TimeSpan.FromMinutes(10),
        },
        ["flapping"] = new()
        {
            Events = ["ClientConnected"],
            Key = "ClientId",
            Count = 30,
            Window = TimeSpan.FromMinutes(1),
            BanDuration = TimeSpan.FromMinutes(5),
        },
        ["rate-limit"] = new()
        {
            Events = ["ExceedPubRate", "ExceedReceivingLimit", "ResourceThrottled"],
            Key = "ClientId",
            Count = 5,
            Window = TimeSpan.FromMinutes(5),
            BanDuration = TimeSpan.FromMinutes(10),
        },
    };
}

/// <summary>One rule: past <see cref="Count"/> matching events for one key within <see cref="Window"/>, ban that key for <see cref="BanDuration"/>.</summary>
public sealed class RiskRuleOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>The event types it counts, by name (EventType).</summary>
    public List<string> Events { get; set; } = [];

    /// <summary>What it counts per, and bans: "ClientId", "User", "Address" or "AddressPrefix" ("Address" by default).</summary>
    public string Key { get; set; } = "Address";

    /// <summary>For "AddressPrefix": the prefix length of IPv4 addresses (24 by default).</summary>
    public int PrefixLengthV4 { get; set; } = 24;

    /// <summary>For "AddressPrefix": the prefix length of IPv6 addresses (64 by default).</summary>
    public int PrefixLengthV6 { get; set; } = 64;

    /// <summary>Events within the window that make a hit (10 by default).</summary>
    public int Count { get; set; } = 10;

    /// <summary>The sliding window (1 minute by default).</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long the ban lasts (10 minutes by default).</summary>
    public TimeSpan BanDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Which deny list the ban goes to: "tenant" (the event's tenant), "cluster" (every tenant), or "auto" (the
    /// default: addresses and prefixes cluster-wide, client ids and users in their tenant; events without a
    /// tenant always ban cluster-wide).
    /// </summary>
    public string Scope { get; set; } = "auto";
}
