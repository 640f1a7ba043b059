namespace Bifro.TestKit;

/// <summary>Where things are in the repository, found from the test assembly's location.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    public static string Root => s_root.Value;

    /// <summary>The build configuration the tests run in (Debug or Release), from their own path.</summary>
    public static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>The node executable (bifro.dll), built with the tests because the end-to-end project references it.</summary>
    public static string NodeAssembly => Path.Combine(Root, "src", "Silo", "bin", Configuration, "net10.0", "bifro.dll");

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Bifro.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Bifro.sln not found above " + AppContext.BaseDirectory);
    }
}
