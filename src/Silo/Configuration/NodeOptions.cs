namespace Bifro.Silo.Configuration;

/// <summary>The node: what it runs and where it keeps its data. Section "Bifro:Node".</summary>
public sealed class NodeOptions
{
    public const string SectionName = "Bifro:Node";

    /// <summary>
    /// "all" (the default: a silo and an MQTT edge), "silo" (grains only, no MQTT listeners) or "edge"
    /// (MQTT listeners only: a cluster client that finds the silos' gateways in the membership table).
    /// </summary>
    public string Role { get; set; } = "all";

    /// <summary>The node's name in membership and logs (the machine name by default).</summary>
    public string? Name { get; set; }

    /// <summary>Embedded storage lives here ("./data" by default, relative to the working directory).</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>
    /// Where grain state and reminders live: "sqlite" (a file under the data directory; the default for a
    /// single node), "memory" (nothing survives a restart) or "postgres" (Bifro:Cluster:Postgres; the
    /// default, and the only choice, in a cluster).
    /// </summary>
    public string? Storage { get; set; }

    public bool HostsGrains => Role != "edge";

    public bool HostsListeners => Role != "silo";
}
