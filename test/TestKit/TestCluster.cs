using Bifro.Configuration;
using Bifro.Hosting;
using Bifro.Runtime;
using Bifro.Runtime.Providers.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bifro.TestKit;

/// <summary>
/// Several silos in this process, each with its own host, transport ports and membership row, sharing a
/// fresh PostgreSQL database for membership, grain storage and reminders: calls between them cross the
/// real silo transport.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly List<IHost> _hosts = new();
    private readonly List<IHost> _clients = new();

    private TestCluster(string connectionString, string clusterId, string serviceId)
    {
        ConnectionString = connectionString;
        ClusterId = clusterId;
        ServiceId = serviceId;
    }

    public string ConnectionString { get; }

    public string ClusterId { get; }

    public string ServiceId { get; }

    public IReadOnlyList<IHost> Silos => _hosts;

    public IGrainFactory Factory(int silo) => _hosts[silo].Services.GetRequiredService<IGrainFactory>();

    /// <summary>Starts <paramref name="count"/> silos on a new database (or <paramref name="connectionString"/>).</summary>
    public static async Task<TestCluster> StartAsync(
        int count = 3,
        string? connectionString = null,
        string clusterId = "test",
        string serviceId = "test",
        Action<ISiloBuilder>? configure = null,
        Action<IServiceCollection>? services = null)
    {
        connectionString ??= await PostgresServer.CreateDatabaseAsync("bifro_cluster").ConfigureAwait(false);
        await PostgresSchema.ApplyAsync(connectionString).ConfigureAwait(false);
        var cluster = new TestCluster(connectionString, clusterId, serviceId);
        for (var i = 0; i < count; i++)
        {
            await cluster.AddSiloAsync(configure, services).ConfigureAwait(false);
        }

        await cluster.WaitForActiveAsync(count).ConfigureAwait(false);
        return cluster;
    }

    /// <summary>Starts one more silo.</summary>
    public async Task<IHost> AddSiloAsync(Action<ISiloBuilder>? configure = null, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var name = $"silo{_hosts.Count}";
        builder.UseBifro(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = ClusterId;
                o.ServiceId = ServiceId;
            });
            silo.Configure<SiloOptions>(o => o.SiloName = name);
            silo.Configure<SiloTransportOptions>(o =>
            {
                o.BindAddress = "127.0.0.1";
                o.SiloPort = FreePort.Next();
                o.GatewayPort = FreePort.Next();
            });
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromMilliseconds(500);
                o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
            });
            silo.UsePostgresClustering(o => o.ConnectionString = ConnectionString);
            silo.AddPostgresGrainStorageAsDefault(o => o.ConnectionString = ConnectionString);
            silo.AddMemoryGrainStorage(ProviderConstants.DefaultPubSubProviderName);
            silo.UsePostgresReminderService(o => o.ConnectionString = ConnectionString);
            configure?.Invoke(silo);
        });
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync().ConfigureAwait(false);
        _hosts.Add(host);
        return host;
    }

    /// <summary>
    /// Starts a cluster client (an edge-only node, "cl:{name}") that finds the silos' gateways in the
    /// membership table and hosts no grains; it is stopped with the cluster.
    /// </summary>
    public async Task<IHost> AddClientAsync(string name, Action<ISiloBuilder>? configure = null, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddBifroClient(builder.Configuration, client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = ClusterId;
                o.ServiceId = ServiceId;
            });
            client.Configure<SiloOptions>(o => o.SiloName = name);
            client.Configure<ClusterMembershipOptions>(o => o.TableRefreshTimeout = TimeSpan.FromSeconds(2));
            client.UsePostgresClusterClient(o => o.ConnectionString = ConnectionString);
            configure?.Invoke(client);
        });
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync().ConfigureAwait(false);
        _clients.Add(host);
        return host;
    }

    public IReadOnlyList<IHost> Clients => _clients;

    /// <summary>Stops a silo gracefully.</summary>
    public async Task StopSiloAsync(int index)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _hosts[index].StopAsync(cts.Token).ConfigureAwait(false);
    }

    /// <summary>Waits until every running silo sees <paramref name="count"/> active silos.</summary>
    public async Task WaitForActiveAsync(int count, TimeSpan? timeout = null)
    {
        await Eventually.TrueAsync(
            () => _hosts.Where(IsRunning).All(h => ActiveCount(h) == count),
            timeout ?? TimeSpan.FromSeconds(30),
            $"every silo to see {count} active silos").ConfigureAwait(false);
    }

    public static int ActiveCount(IHost host) =>
        host.Services.GetRequiredService<Bifro.Runtime.Membership.IMembershipViewProvider>().Current.Active.Length;

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _clients.Concat(_hosts))
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                await host.StopAsync(cts.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
            {
            }

            host.Dispose();
        }
    }

    private static bool IsRunning(IHost host) =>
        !host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested;
}
