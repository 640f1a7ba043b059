namespace Bifro.Configuration;

/// <summary>
/// ClusterId separates environments: silos with different ClusterIds never see each other, even on one
/// database. ServiceId keys stored grain state and outlives clusters. Both "default" by default.
/// </summary>
public sealed class ClusterOptions
{
    public const string DefaultClusterId = "default";
    public const string DefaultServiceId = "default";

    /// <summary>The environment this silo belongs to ("default" by default).</summary>
    public string ClusterId { get; set; } = DefaultClusterId;

    /// <summary>The application whose stored data this silo reads and writes ("default" by default).</summary>
    public string ServiceId { get; set; } = DefaultServiceId;
}
