namespace Bifro.Silo.Configuration;

/// <summary>The node: where it keeps its data. Section "Bifro:Node".</summary>
public sealed class NodeOptions
{
    public const string SectionName = "Bifro:Node";

    /// <summary>Embedded storage lives here ("./data" by default, relative to the working directory).</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>"sqlite" (the default: a file under the data directory) or "memory" (nothing survives a restart).</summary>
    public string Storage { get; set; } = "sqlite";
}
