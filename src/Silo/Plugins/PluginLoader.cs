using System.Reflection;

namespace Bifro.Silo.Plugins;

/// <summary>Finds a plugin class in an assembly, or in the assemblies of a plugins folder, each loaded in its own <see cref="PluginLoadContext"/>.</summary>
internal static class PluginLoader
{
    /// <summary>
    /// The type <paramref name="typeName"/>, which must implement <typeparamref name="TContract"/>, from the
    /// assembly at <paramref name="path"/> or from one of the assemblies in the folder <paramref name="path"/>.
    /// Null, with the reason in <paramref name="error"/>, when it cannot be found or used.
    /// </summary>
    public static Type? FindType<TContract>(string path, string typeName, out string? error)
    {
        var fullPath = Path.GetFullPath(path);
        IEnumerable<string> candidates;
        if (Directory.Exists(fullPath))
        {
            candidates = Directory.GetFiles(fullPath, "*.dll").Order(StringComparer.Ordinal)
                .Where(file => !PluginLoadContext.IsSharedWithNode(new AssemblyName(Path.GetFileNameWithoutExtension(file))));
        }
        else if (File.Exists(fullPath))
        {
            candidates = [fullPath];
        }
        else
        {
            error = $"'{fullPath}' is neither a plugin assembly nor a folder.";
            return null;
        }

        var failures = new List<string>();
        foreach (var candidate in candidates)
        {
            Type? type;
            try
            {
                var context = new PluginLoadContext(candidate);
                var assembly = context.LoadFromAssemblyPath(candidate);
                type = assembly.GetType(typeName, throwOnError: false);
            }
            catch (Exception exception) when (exception is BadImageFormatException or FileLoadException or FileNotFoundException or TypeLoadException)
            {
                failures.Add($"{Path.GetFileName(candidate)}: {exception.Message}");
                continue;
            }

            if (type is null)
            {
                continue;
            }

            if (!typeof(TContract).IsAssignableFrom(type) || type.IsAbstract || type.IsInterface)
            {
                error = $"{typeName} in {Path.GetFileName(candidate)} is not a concrete class implementing {typeof(TContract).FullName} " +
                    "(a plugin must reference the node's Bifro.Grains.Interfaces, not ship its own copy).";
                return null;
            }

            error = null;
            return type;
        }

        error = $"no class {typeName} in '{fullPath}'" + (failures.Count > 0 ? $" ({string.Join("; ", failures)})" : ".");
        return null;
    }
}
