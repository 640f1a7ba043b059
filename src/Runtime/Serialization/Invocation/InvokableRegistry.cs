using System.Collections.Concurrent;

namespace Bifro.Serialization.Invocation;

/// <summary>Generated invokers by wire name, so that a received call can be rebuilt.</summary>
public static class InvokableRegistry
{
    private static readonly ConcurrentDictionary<string, Func<RequestBase>> s_factories = new(StringComparer.Ordinal);

    public static void Register(string wireName, Func<RequestBase> factory) => s_factories[wireName] = factory;

    public static RequestBase Create(string wireName) =>
        s_factories.TryGetValue(wireName, out var factory)
            ? factory()
            : throw new System.Runtime.Serialization.SerializationException($"Unknown grain method '{wireName}'. Do both sides run the same grain interfaces?");

    public static IEnumerable<string> WireNames => s_factories.Keys;
}
