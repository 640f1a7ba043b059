namespace Bifro.Runtime.Messaging;

/// <summary>Who this silo is.</summary>
public interface ILocalSiloDetails
{
    SiloAddress SiloAddress { get; }

    string SiloName { get; }

    string ClusterId { get; }

    string ServiceId { get; }

    /// <summary>
    /// How other nodes address this process: its silo address, or "cl:{name}" for a cluster client (an
    /// edge-only node), which is reached through the gateway connections it opens.
    /// </summary>
    string NodeIdentity { get; }
}

internal sealed class LocalSiloDetails(SiloAddress address, string siloName, string clusterId, string serviceId, bool isClient = false) : ILocalSiloDetails
{
    public const string ClientPrefix = "cl:";

    public SiloAddress SiloAddress { get; } = address;

    public string NodeIdentity { get; } = isClient ? ClientPrefix + siloName : address.ToParsableString();

    public string SiloName { get; } = siloName;

    public string ClusterId { get; } = clusterId;

    public string ServiceId { get; } = serviceId;
}
