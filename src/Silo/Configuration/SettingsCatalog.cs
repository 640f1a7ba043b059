using System.Collections;
using System.Reflection;
using Bifro.Configuration;
using Bifro.Grains;
using Bifro.MqttEdge.Configuration;
using Microsoft.Extensions.Configuration;

namespace Bifro.Silo.Configuration;

/// <summary>
/// Every "Bifro:..." setting a node reads, from the options classes each section binds to. A key that
/// names none of them is almost always a typo (Bifro:Mqtt:MaxPaketSize), which the binder would ignore
/// in silence; the node warns about it at start, and the deployment examples are checked against it.
/// A section that a new component reads must be added here.
/// </summary>
internal static class SettingsCatalog
{
    private static readonly (string Section, Type[] Types)[] s_sections =
    [
        (NodeOptions.SectionName, [typeof(NodeOptions)]),
        (ClusterHostingOptions.SectionName, [typeof(ClusterHostingOptions), typeof(ClusterOptions)]),
        ("Bifro:Cluster:Transport", [typeof(SiloTransportOptions)]),
        ("Bifro:Cluster:Membership", [typeof(ClusterMembershipOptions)]),
        ("Bifro:Cluster:Messaging", [typeof(MessagingOptions)]),
        (MqttOptions.SectionName, [typeof(MqttOptions)]),
        ("Bifro:Sharding", [typeof(ShardingOptions)]),
        (AuthOptions.SectionName, [typeof(AuthOptions)]),
        (AdminOptions.SectionName, [typeof(AdminOptions)]),
        (TelemetryOptions.SectionName, [typeof(TelemetryOptions)]),
        (EventOptions.SectionName, [typeof(EventOptions)]),
        (RiskOptions.SectionName, [typeof(RiskOptions)]),

        // Memory stream providers by name; a node configures "events".
        (NodeSettings.StreamsSection, [typeof(Dictionary<string, MemoryStreamOptions>)]),

        // "Default" and every tenant id take the same settings.
        (ConfigurationSettingProvider.SectionName, [typeof(Dictionary<string, TenantSettings>)]),
    ];

    /// <summary>Whether <paramref name="key"/> ("Bifro:Section:Property:...") names a setting.</summary>
    public static bool Exists(string key)
    {
        (string Section, Type[] Types)? best = null;
        foreach (var entry in s_sections)
        {
            if ((key.StartsWith(entry.Section + ":", StringComparison.OrdinalIgnoreCase) || key.Equals(entry.Section, StringComparison.OrdinalIgnoreCase))
                && (best is null || entry.Section.Length > best.Value.Section.Length))
            {
                best = entry;
            }
        }

        if (best is null)
        {
            return false;
        }

        var rest = key.Length > best.Value.Section.Length ? key[(best.Value.Section.Length + 1)..].Split(':') : [];
        if (rest.Length == 0)
        {
            return true;
        }

        foreach (var type in best.Value.Types)
        {
            if (Walk(type, rest, 0))
            {
                return true;
            }
        }

        // A nested section with its own entry (Bifro:Cluster:Transport) is reached through the longest match above.
        return false;
    }

    /// <summary>The keys under "Bifro" in <paramref name="configuration"/> that name no setting.</summary>
    public static List<string> UnknownKeys(IConfiguration configuration)
    {
        var unknown = new List<string>();
        foreach (var (key, value) in configuration.GetSection("Bifro").AsEnumerable())
        {
            if (value is not null && !Exists(key))
            {
                unknown.Add(key);
            }
        }

        unknown.Sort(StringComparer.Ordinal);
        return unknown;
    }

    private static bool Walk(Type type, string[] path, int index)
    {
        if (index == path.Length)
        {
            return true;
        }

        if (IsLeaf(type))
        {
            return false;
        }

        // Dictionaries take any key; lists take an index.
        if (type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>)))
        {
            return Walk(type.GetGenericArguments()[1], path, index + 1);
        }

        if (type.IsArray)
        {
            return int.TryParse(path[index], out _) && Walk(type.GetElementType()!, path, index + 1);
        }

        if (type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type))
        {
            return int.TryParse(path[index], out _) && Walk(type.GetGenericArguments()[0], path, index + 1);
        }

        var property = type.GetProperty(path[index], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        return property is { CanRead: true } && (property.CanWrite || !IsLeaf(property.PropertyType)) && Walk(property.PropertyType, path, index + 1);
    }

    private static bool IsLeaf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(TimeSpan) || type == typeof(decimal)
            || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(Uri);
    }
}
