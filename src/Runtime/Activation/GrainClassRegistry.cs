using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Bifro.Runtime.Activation;

/// <summary>Grain classes by grain type and by interface, filled by generated module initializers.</summary>
public static class GrainClassRegistry
{
    private static readonly ConcurrentDictionary<GrainType, GrainClassInfo> s_byType = new();
    private static readonly ConcurrentDictionary<Type, GrainClassInfo> s_byClass = new();

    public static void Register(GrainClassInfo info)
    {
        s_byType[info.GrainType] = info;
        s_byClass[info.GrainClass] = info;
    }

    public static IEnumerable<GrainClassInfo> All => s_byType.Values;

    internal static bool TryGet(GrainType grainType, out GrainClassInfo info) => s_byType.TryGetValue(grainType, out info!);

    internal static GrainClassInfo? GetByClass(Type grainClass) => s_byClass.GetValueOrDefault(grainClass);

    /// <summary>
    /// The grain type that implements <paramref name="interfaceType"/>. Several classes may implement one
    /// interface; then <paramref name="grainClassNamePrefix"/> (a prefix of the class's full name) picks one.
    /// </summary>
    internal static GrainType ResolveGrainType(Type interfaceType, string? grainClassNamePrefix)
    {
        GrainClassInfo? match = null;
        for (var attempt = 0; attempt < 2 && match is null; attempt++)
        {
            foreach (var info in s_byType.Values)
            {
                if (!interfaceType.IsAssignableFrom(info.GrainClass))
                {
                    continue;
                }

                if (grainClassNamePrefix is not null && !info.GrainClass.FullName!.StartsWith(grainClassNamePrefix, StringComparison.Ordinal))
                {
                    continue;
                }

                if (match is not null)
                {
                    throw new ArgumentException(
                        $"Several grain classes implement {interfaceType} ({match.GrainClass}, {info.GrainClass}); pass a grainClassNamePrefix.");
                }

                match = info;
            }

            if (match is null)
            {
                // Grain classes register when their assembly's module initializes.
                RuntimeHelpers.RunModuleConstructor(interfaceType.Module.ModuleHandle);
                foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
                {
                    if (!assembly.IsDynamic && ReferencesInterfaceAssembly(assembly, interfaceType))
                    {
                        RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
                    }
                }
            }
        }

        return match?.GrainType ?? throw new GrainRuntimeException($"No grain class implements {interfaceType}.");
    }

    private static bool ReferencesInterfaceAssembly(System.Reflection.Assembly assembly, Type interfaceType)
    {
        if (assembly == interfaceType.Assembly)
        {
            return true;
        }

        var name = interfaceType.Assembly.GetName().Name;
        foreach (var reference in assembly.GetReferencedAssemblies())
        {
            if (reference.Name == name)
            {
                return true;
            }
        }

        return false;
    }
}
