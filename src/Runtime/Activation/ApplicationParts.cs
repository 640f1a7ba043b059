using System.Reflection;
using System.Runtime.CompilerServices;

namespace Bifro.Runtime.Activation;

/// <summary>
/// Makes sure every assembly with generated grain code has registered it: generated registrations run
/// from module initializers, which .NET runs only when a module is first used.
/// </summary>
internal static class ApplicationParts
{
    private static readonly string s_runtimeName = typeof(ApplicationParts).Assembly.GetName().Name!;
    private static int s_loadedCount = -1;

    public static void EnsureLoaded()
    {
        var assemblies = AppDomain.CurrentDomain.GetAssemblies();
        if (assemblies.Length == Volatile.Read(ref s_loadedCount))
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<Assembly>(assemblies);
        if (Assembly.GetEntryAssembly() is { } entry)
        {
            queue.Enqueue(entry);
        }

        while (queue.TryDequeue(out var assembly))
        {
            if (assembly.IsDynamic || !seen.Add(assembly.FullName!))
            {
                continue;
            }

            var references = assembly.GetReferencedAssemblies();
            var usesRuntime = assembly.GetName().Name == s_runtimeName;
            foreach (var reference in references)
            {
                if (reference.Name == s_runtimeName)
                {
                    usesRuntime = true;
                }
            }

            if (!usesRuntime)
            {
                continue;
            }

            RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
            foreach (var reference in references)
            {
                if (seen.Contains(reference.FullName) || IsFrameworkAssembly(reference.Name))
                {
                    continue;
                }

                try
                {
                    queue.Enqueue(Assembly.Load(reference));
                }
                catch (Exception exception) when (exception is FileNotFoundException or FileLoadException or BadImageFormatException)
                {
                    // An optional dependency that is not deployed cannot hold grains we need.
                }
            }
        }

        Volatile.Write(ref s_loadedCount, AppDomain.CurrentDomain.GetAssemblies().Length);
    }

    private static bool IsFrameworkAssembly(string? name) =>
        name is null || name.StartsWith("System", StringComparison.Ordinal) || name.StartsWith("Microsoft", StringComparison.Ordinal)
        || name is "netstandard" or "mscorlib";
}
