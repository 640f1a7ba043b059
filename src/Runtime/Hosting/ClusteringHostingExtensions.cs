using System.Net;
using Bifro.Configuration;
using Bifro.Runtime;
using Bifro.Runtime.Membership;
using Bifro.Runtime.Messaging;
using Bifro.Runtime.Providers.Clustering.Postgres;
using Bifro.Runtime.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bifro.Hosting;

/// <summary>Clustering: membership in PostgreSQL and the silo transport (Orleans' UseAdoNetClustering).</summary>
public static class ClusteringHostingExtensions
{
    /// <summary>
    /// Joins the cluster named by ClusterOptions.ClusterId through a PostgreSQL membership table, listening
    /// for other silos and clients as SiloTransportOptions say.
    /// </summary>
    public static ISiloBuilder UsePostgresClustering(this ISiloBuilder builder, Action<PostgresClusteringOptions> configure)
    {
        var services = builder.Services;
        services.Configure(configure);
        services.AddOptions<SiloTransportOptions>();
        services.AddOptions<ClusterMembershipOptions>();
        services.RemoveAll<ILocalSiloDetails>();
        services.AddSingleton<ILocalSiloDetails>(sp =>
        {
            var transport = sp.GetRequiredService<IOptions<SiloTransportOptions>>().Value;
            var cluster = sp.GetRequiredService<IOptions<ClusterOptions>>().Value;
            var silo = sp.GetRequiredService<IOptions<SiloOptions>>().Value;
            var address = new SiloAddress(new IPEndPoint(AdvertisedAddress(transport), transport.SiloPort), SiloAddress.AllocateNewGeneration());
            return new LocalSiloDetails(address, silo.SiloName, cluster.ClusterId, cluster.ServiceId);
        });
        services.TryAddSingleton<IMembershipTable, PostgresMembershipTable>();
        services.TryAddSingleton<ConnectionManager>();
        services.RemoveAll<IMembershipViewProvider>();
        services.AddSingleton<MembershipService>();
        services.AddSingleton<IMembershipViewProvider>(sp => sp.GetRequiredService<MembershipService>());
        services.AddSingleton<ISiloParticipant>(sp => sp.GetRequiredService<MembershipService>());
        services.AddSingleton<ISiloParticipant, TransportLifecycle>();
        return builder;
    }

    /// <summary>
    /// Makes this process a cluster client (an edge-only node): it reads the PostgreSQL membership table of
    /// ClusterOptions.ClusterId, connects to every active silo's gateway and hosts no grains. Its identity
    /// is "cl:{SiloName}"; SiloName should be unique among the cluster's clients.
    /// </summary>
    public static ISiloBuilder UsePostgresClusterClient(this ISiloBuilder builder, Action<PostgresClusteringOptions> configure)
    {
        var services = builder.Services;
        services.Configure(configure);
        services.AddOptions<SiloTransportOptions>();
        services.AddOptions<ClusterMembershipOptions>();
        services.RemoveAll<ILocalSiloDetails>();
        services.AddSingleton<ILocalSiloDetails>(sp =>
        {
            var cluster = sp.GetRequiredService<IOptions<ClusterOptions>>().Value;
            var silo = sp.GetRequiredService<IOptions<SiloOptions>>().Value;
            return new LocalSiloDetails(SiloAddress.Local, silo.SiloName, cluster.ClusterId, cluster.ServiceId, isClient: true);
        });
        services.TryAddSingleton<IMembershipTable, PostgresMembershipTable>();
        services.RemoveAll<ConnectionManager>();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ConnectionManager>(sp).AsClient());
        services.RemoveAll<IMembershipViewProvider>();
        services.AddSingleton<ClientMembershipView>();
        services.AddSingleton<IMembershipViewProvider>(sp => sp.GetRequiredService<ClientMembershipView>());
        services.AddSingleton<ISiloParticipant>(sp => sp.GetRequiredService<ClientMembershipView>());
        services.AddSingleton<ISiloParticipant, TransportLifecycle>();
        return builder;
    }

    /// <summary>The address written to the membership table: AdvertisedAddress, else a non-wildcard BindAddress.</summary>
    internal static IPAddress AdvertisedAddress(SiloTransportOptions transport)
    {
        if (transport.AdvertisedAddress is { } advertised)
        {
            return IPAddress.Parse(advertised);
        }

        var bind = IPAddress.Parse(transport.BindAddress);
        if (bind.Equals(IPAddress.Any) || bind.Equals(IPAddress.IPv6Any))
        {
            throw new InvalidOperationException(
                "Bifro:Cluster:Transport:AdvertisedAddress is required when Bifro:Cluster:Transport:BindAddress is a wildcard: other nodes must know how to reach this one.");
        }

        return bind;
    }

    /// <summary>Closes the transport's listeners and connections after everything else has stopped.</summary>
    private sealed class TransportLifecycle(ConnectionManager connections) : ISiloParticipant
    {
        public int Stage => 100;

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task StopAsync(CancellationToken cancellationToken) => await connections.DisposeAsync().ConfigureAwait(false);
    }
}
