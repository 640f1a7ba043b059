namespace Bifro.Runtime.Messaging;

/// <summary>Who this silo is.</summary>
public interface ILocalSiloDetails
{
    SiloAddress SiloAddress { get; }

    string SiloName { get; }

    string ClusterId { get; }

    string ServiceId { get; }
}

internal sealed class LocalSiloDetails(SiloAddress address, string siloName, string clusterId, string serviceId) : ILocalSiloDetails
{
    public SiloAddress SiloAddress { get; } = address;

    public string SiloName { get; } = siloName;

    public string ClusterId { get; } = clusterId;

    public string ServiceId { get; } = serviceId;
}
