using System.Text;
using Bifro.Runtime.Identity;

namespace Bifro.Runtime;

/// <summary>A stream's identity: a namespace and a key. The string form is "ns/key" (Orleans' StreamId).</summary>
[GenerateSerializer]
public readonly record struct StreamId
{
    public StreamId(string? @namespace, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Namespace = @namespace;
        Key = key;
    }

    [Id(0)]
    public string? Namespace { get; init; }

    [Id(1)]
    public string Key { get; init; }

    public static StreamId Create(string? @namespace, string key) => new(@namespace, key);

    public static StreamId Create(string? @namespace, Guid key) => new(@namespace, key.ToString("N"));

    public static StreamId Create(string? @namespace, long key) => new(@namespace, key.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public string GetNamespace() => Namespace ?? string.Empty;

    public string GetKeyAsString() => Key;

    public uint GetUniformHashCode() => StableHash.ComputeHash(ToString());

    public override string ToString() => $"{Namespace ?? "null"}/{Key}";
}
