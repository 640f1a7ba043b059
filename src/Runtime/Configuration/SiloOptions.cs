namespace Bifro.Configuration;

/// <summary>This silo's name in logs and membership (the machine name by default).</summary>
public sealed class SiloOptions
{
    public string SiloName { get; set; } = Environment.MachineName;
}
