using Bifro.TestKit;

namespace Bifro.EndToEnd.Tests.Fixtures;

/// <summary>The test plugins' whole build output (test/TestPlugins), copied to a folder of its own as a plugin author would ship it.</summary>
internal static class PluginFolder
{
    /// <summary>A new folder holding the plugins; the caller deletes it.</summary>
    public static string Create()
    {
        var built = Path.Combine(RepositoryPaths.Root, "test", "TestPlugins", "bin", RepositoryPaths.Configuration, "net10.0");
        var folder = Directory.CreateTempSubdirectory("bifro-plugins-").FullName;
        foreach (var file in Directory.GetFiles(built))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        return folder;
    }
}
