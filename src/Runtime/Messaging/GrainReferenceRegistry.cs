using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Bifro.Runtime.Messaging;

/// <summary>Generated reference factories, by grain or observer interface.</summary>
public static class GrainReferenceRegistry
{
    private static readonly ConcurrentDictionary<Type, Func<IGrainReferenceRuntime, GrainId, GrainReference>> s_factories = new();
    private static readonly ConcurrentDictionary<string, Type> s_byName = new(StringComparer.Ordinal);

    public static void Register(Type interfaceType, Func<IGrainReferenceRuntime, GrainId, GrainReference> factory)
    {
        s_factories[interfaceType] = factory;
        s_byName[interfaceType.FullName!] = interfaceType;
    }

    public static GrainReference Create(Type interfaceType, IGrainReferenceRuntime runtime, GrainId grainId)
    {
        if (!s_factories.TryGetValue(interfaceType, out var factory))
        {
            // The interface's generated code registers when its module initializes.
            RuntimeHelpers.RunModuleConstructor(interfaceType.Module.ModuleHandle);
            if (!s_factories.TryGetValue(interfaceType, out factory))
            {
                throw new GrainRuntimeException(
                    $"No generated reference for {interfaceType}. Does its assembly reference Bifro.CodeGenerator as an analyzer?");
            }
        }

        return factory(runtime, grainId);
    }

    public static Type? FindInterface(string fullName) => s_byName.GetValueOrDefault(fullName);
}
