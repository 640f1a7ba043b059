using System.Net;
using Bifro.Configuration;
using Bifro.Hosting;
using Bifro.Runtime;
using Bifro.Silo.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bifro.Silo.Hosting;

/// <summary>A node in a cluster: membership in PostgreSQL, the silo transport, and their settings.</summary>
internal static class ClusterConfiguration
{
    public const string TransportSection = "Bifro:Cluster:Transport";
    public const string MembershipSection = "Bifro:Cluster:Membership";

    /// <summary>Checks the transport and membership sections, naming the key at fault.</summary>
    public static void Validate(IConfiguration configuration, NodeOptions node, List<string> errors)
    {
        var transport = ConfigurationErrors.Bind<SiloTransportOptions>(configuration, TransportSection, errors);
        var membership = ConfigurationErrors.Bind<ClusterMembershipOptions>(configuration, MembershipSection, errors);
        const string t = TransportSection;
        if (node.HostsGrains)
        {
            if (transport.SiloPort is < 1 or > 65535)
            {
                errors.Add($"{t}:SiloPort {transport.SiloPort} must be between 1 and 65535.");
            }

            if (transport.GatewayPort is < 0 or > 65535)
            {
                errors.Add($"{t}:GatewayPort {transport.GatewayPort} must be between 0 (no gateway) and 65535.");
            }

            if (!IPAddress.TryParse(transport.BindAddress, out var bind))
            {
                errors.Add($"{t}:BindAddress '{transport.BindAddress}' is not an IP address.");
            }
            else if (transport.AdvertisedAddress is null && (bind.Equals(IPAddress.Any) || bind.Equals(IPAddress.IPv6Any)))
            {
                errors.Add($"{t}:AdvertisedAddress is required when {t}:BindAddress is a wildcard: other nodes must know how to reach this one.");
            }

            if (transport.AdvertisedAddress is { } advertised && !IPAddress.TryParse(advertised, out _))
            {
                errors.Add($"{t}:AdvertisedAddress '{advertised}' is not an IP address.");
            }
        }

        if (transport.ConnectTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{t}:ConnectTimeout must be positive.");
        }

        if (transport.MaxQueuedMessages < 1)
        {
            errors.Add($"{t}:MaxQueuedMessages must be at least 1.");
        }

        var tls = transport.Tls;
        if (tls.Enabled)
        {
            if (string.IsNullOrWhiteSpace(tls.CertificatePath))
            {
                errors.Add($"{t}:Tls:CertificatePath is required when {t}:Tls:Enabled is true.");
            }
            else if (!File.Exists(tls.CertificatePath))
            {
                errors.Add($"{t}:Tls:CertificatePath '{tls.CertificatePath}' does not exist.");
            }

            if (tls.KeyPath is { } key && !File.Exists(key))
            {
                errors.Add($"{t}:Tls:KeyPath '{key}' does not exist.");
            }

            if (tls.CaBundlePath is { } ca && !File.Exists(ca))
            {
                errors.Add($"{t}:Tls:CaBundlePath '{ca}' does not exist.");
            }
        }

        const string m = MembershipSection;
        if (membership.ProbeTimeout <= TimeSpan.Zero || membership.TableRefreshTimeout <= TimeSpan.Zero
            || membership.IAmAliveTablePublishTimeout <= TimeSpan.Zero || membership.ClientDropTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{m}:ProbeTimeout, TableRefreshTimeout, IAmAliveTablePublishTimeout and ClientDropTimeout must be positive.");
        }

        if (membership.NumMissedProbesLimit < 1 || membership.NumVotesForDeathDeclaration < 1 || membership.NumProbedSilos < 1)
        {
            errors.Add($"{m}:NumMissedProbesLimit, NumVotesForDeathDeclaration and NumProbedSilos must be at least 1.");
        }
    }

    /// <summary>Joins the cluster as a silo, or as a client (edge-only node).</summary>
    public static void UseCluster(ISiloBuilder builder, IConfiguration configuration, ClusterHostingOptions cluster, bool client)
    {
        var services = builder.Services;
        services.Configure<SiloTransportOptions>(configuration.GetSection(TransportSection));
        services.Configure<ClusterMembershipOptions>(configuration.GetSection(MembershipSection));
        var connectionString = cluster.Postgres.ConnectionString!;
        if (cluster.Postgres.MigrateOnStart)
        {
            services.AddSingleton<ISiloParticipant>(new SchemaMigration(connectionString));
        }

        if (client)
        {
            // A client's identity must change with each start, as a silo's generation does: sessions held
            // for the previous process are let go when it is dropped, not claimed by its successor.
            services.PostConfigure<SiloOptions>(o => o.SiloName = $"{o.SiloName}.{SiloAddress.AllocateNewGeneration()}");
            builder.UsePostgresClusterClient(o => o.ConnectionString = connectionString);
        }
        else
        {
            builder.UsePostgresClustering(o => o.ConnectionString = connectionString);
        }
    }
}

/// <summary>Applies the PostgreSQL schema before anything reads the database (Bifro:Cluster:Postgres:MigrateOnStart).</summary>
internal sealed class SchemaMigration(string connectionString) : ISiloParticipant
{
    public int Stage => 0;

    public Task StartAsync(CancellationToken cancellationToken) =>
        Runtime.Providers.Postgres.PostgresSchema.ApplyAsync(connectionString, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
