namespace Bifro.Silo.Configuration;

/// <summary>Checks the node and cluster sections together, naming the key at fault.</summary>
internal static class NodeOptionsValidator
{
    public static void Validate(NodeOptions node, ClusterHostingOptions cluster, List<string> errors)
    {
        const string n = NodeOptions.SectionName;
        const string c = ClusterHostingOptions.SectionName;
        if (string.IsNullOrWhiteSpace(node.DataDirectory))
        {
            errors.Add($"{n}:DataDirectory must name a directory.");
        }

        if (node.Role is not ("all" or "silo" or "edge"))
        {
            errors.Add($"{n}:Role '{node.Role}' must be 'all', 'silo' or 'edge'.");
        }

        if (node.Name is { } name && (name.Length == 0 || name.Length > 100 || name.Contains('/') || name.Contains(' ')))
        {
            errors.Add($"{n}:Name '{name}' must be 1 to 100 characters without '/' or spaces.");
        }

        if (cluster.Provider is not ("none" or "postgres"))
        {
            errors.Add($"{c}:Provider '{cluster.Provider}' must be 'none' or 'postgres'.");
            return;
        }

        if (node.Storage is { } storage && storage is not ("sqlite" or "memory" or "postgres"))
        {
            errors.Add($"{n}:Storage '{storage}' must be 'sqlite', 'memory' or 'postgres'.");
        }

        if (cluster.Enabled && node.Storage is "sqlite" or "memory")
        {
            errors.Add($"{n}:Storage '{node.Storage}' cannot be used in a cluster ({c}:Provider is 'postgres'): every silo must read the same grain state. Use 'postgres' or leave it unset.");
        }

        if (!cluster.Enabled && node.Role != "all")
        {
            errors.Add($"{n}:Role '{node.Role}' needs a cluster: set {c}:Provider to 'postgres'.");
        }

        if ((cluster.Enabled || node.Storage == "postgres") && string.IsNullOrWhiteSpace(cluster.Postgres.ConnectionString))
        {
            errors.Add($"{c}:Postgres:ConnectionString is required when {c}:Provider or {n}:Storage is 'postgres'.");
        }
    }

    /// <summary>The storage in effect: as configured, else PostgreSQL in a cluster and SQLite alone.</summary>
    public static string EffectiveStorage(NodeOptions node, ClusterHostingOptions cluster) =>
        node.Storage ?? (cluster.Enabled ? "postgres" : "sqlite");
}
