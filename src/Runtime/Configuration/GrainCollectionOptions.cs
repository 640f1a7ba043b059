namespace Bifro.Configuration;

/// <summary>Activation lifetime, as Orleans' GrainCollectionOptions.</summary>
public sealed class GrainCollectionOptions
{
    /// <summary>An activation idle this long is deactivated (15 minutes by default).</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for (1 minute by default).</summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long OnActivateAsync may take before its token is cancelled (30 seconds by default).</summary>
    public TimeSpan ActivationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long OnDeactivateAsync may take before its token is cancelled (30 seconds by default).</summary>
    public TimeSpan DeactivationTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
