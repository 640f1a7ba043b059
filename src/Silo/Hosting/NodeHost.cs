using Bifro.Configuration;
using Bifro.Grains;
using Bifro.Grains.Inbox;
using Bifro.Hosting;
using Bifro.MqttEdge.Configuration;
using Bifro.Runtime;
using Bifro.Silo.Configuration;
using Bifro.Silo.Plugins;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bifro.Silo.Hosting;

/// <summary>
/// Builds a node, configured from appsettings.json, environment and command line: by default an
/// all-in-one node (a silo and an MQTT edge in one process) on its own; in a cluster also a silo-only or
/// an edge-only node.
/// </summary>
internal static class NodeHost
{
    /// <summary>The host, or the configuration errors that stop it.</summary>
    public static (WebApplication? Host, List<string> Errors) Build(string[] configurationArgs)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = configurationArgs,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });

        var errors = new List<string>();
        var (node, cluster, mqtt, sharding, auth, events, admin, telemetry) = NodeSettings.Read(builder.Configuration, errors);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        // Fail closed from the start: no provider, or one that cannot be loaded, and the node does not start.
        AuthProviderRegistration.Register(builder.Services, auth, errors);
        if (node.HostsGrains)
        {
            EventCollectorRegistration.Register(builder.Services, events, errors);
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var dataDirectory = Path.GetFullPath(node.DataDirectory);
        var storage = NodeOptionsValidator.EffectiveStorage(node, cluster);
        if (storage == "sqlite")
        {
            Directory.CreateDirectory(dataDirectory);
        }

        builder.Services.Configure<ShardingOptions>(builder.Configuration.GetSection("Bifro:Sharding"));
        builder.Services.Configure<InboxOptions>(o => o.MaxMessages = mqtt.MaxOfflineMessages);
        builder.Services.Configure<AuthOptions>(builder.Configuration.GetSection(AuthOptions.SectionName));
        builder.Services.Configure<EventOptions>(builder.Configuration.GetSection(EventOptions.SectionName));
        builder.Services.Configure<RiskOptions>(builder.Configuration.GetSection(RiskOptions.SectionName));
        builder.Services.AddHostedService<AuthProviderAnnouncer>();

        // Tenant settings from Bifro:Tenants (validated above); the edge reads them at CONNECT, inboxes and
        // retained-message shards when they activate.
        builder.Services.AddSingleton<ISettingProvider>(sp =>
            new ConfigurationSettingProvider(builder.Configuration, sp.GetService<ILogger<ConfigurationSettingProvider>>()));
        if (node.HostsGrains)
        {
            builder.Services.AddBifroSilo(builder.Configuration, silo =>
            {
                ConfigureNode(silo, builder.Configuration, node);
                silo.AddMqttGrains();
                silo.AddMqttAuthorization();

                // Events flow through the "events" streams; this silo's collectors and risk detector consume them.
                silo.AddBifroEvents(EventStreamOptions(builder.Configuration));
                silo.AddEventConsumers();
                if (cluster.Enabled)
                {
                    ClusterConfiguration.UseCluster(silo, builder.Configuration, cluster, client: false);
                }

                switch (storage)
                {
                    case "memory":
                        silo.AddMemoryGrainStorage();
                        silo.UseInMemoryReminderService();
                        break;
                    case "postgres":
                        // Grain state, collections and reminders keyed by ServiceId, shared by every silo.
                        silo.AddPostgresGrainStorageAsDefault(o => o.ConnectionString = cluster.Postgres.ConnectionString);
                        silo.UsePostgresReminderService(o => o.ConnectionString = cluster.Postgres.ConnectionString);
                        break;
                    default:
                        // One embedded database file holds grain state, grain collections and reminders.
                        var database = Path.Combine(dataDirectory, "bifro.db");
                        silo.AddSqliteGrainStorageAsDefault(o => o.DataSource = database);
                        silo.UseSqliteReminderService(o => o.DataSource = database);
                        break;
                }

                if (!cluster.Enabled && storage == "postgres" && cluster.Postgres.MigrateOnStart)
                {
                    silo.Services.AddSingleton<ISiloParticipant>(new SchemaMigration(cluster.Postgres.ConnectionString!));
                }
            });
        }
        else
        {
            builder.Services.AddBifroClient(builder.Configuration, client =>
            {
                ConfigureNode(client, builder.Configuration, node);
                ClusterConfiguration.UseCluster(client, builder.Configuration, cluster, client: true);

                // An edge-only node reports events to the streams; silos consume them.
                client.AddBifroEvents(EventStreamOptions(builder.Configuration));
            });
        }

        builder.Services.AddMqttEdge(builder.Configuration);
        builder.AddAdminAndTelemetry(admin, telemetry);
        // Kestrel reads ahead up to this much per connection; one whole packet must fit, and no more is
        // wanted, since a back-pressured publisher's unread packets wait there.
        builder.WebHost.UseSockets(sockets =>
        {
            sockets.MaxReadBufferSize = Math.Max(64 * 1024, mqtt.MaxPacketSize + 5);

            // Accepted sockets inherit the listener's receive buffer. Bounding it stops the kernel from
            // growing megabytes of unread data behind a back-pressured publisher.
            sockets.CreateBoundListenSocket = endpoint =>
            {
                var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
                socket.ReceiveBufferSize = 64 * 1024;
                return socket;
            };
        });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxConcurrentConnections = null;
            kestrel.Limits.MaxConcurrentUpgradedConnections = null;
            if (node.HostsListeners)
            {
                kestrel.ListenMqtt(mqtt);
            }

            if (admin.Enabled)
            {
                kestrel.ListenAdmin(admin, mqtt.CertificateReloadInterval);
            }
        });

        var host = builder.Build();
        try
        {
            // A plugin is made now, so that one whose constructor fails stops the node before it listens.
            host.Services.GetRequiredService<Grains.IAuthProvider>();
        }
        catch (Exception exception) when (exception is InvalidOperationException or MissingMethodException or System.Reflection.TargetInvocationException)
        {
            errors.Add($"{AuthOptions.SectionName}:Plugin:TypeName: {auth.Plugin.TypeName} could not be created: {(exception.InnerException ?? exception).Message}");
            return (null, errors);
        }

        // Event collectors too: a plugin whose constructor fails stops the node now.
        foreach (var name in node.HostsGrains && events.Enabled ? events.EffectiveCollectors : [])
        {
            try
            {
                host.Services.GetRequiredKeyedService<Grains.IEventCollector>(name.ToLowerInvariant());
            }
            catch (Exception exception) when (exception is InvalidOperationException or MissingMethodException or System.Reflection.TargetInvocationException)
            {
                errors.Add($"{EventOptions.SectionName}:Collectors: '{name}' could not be created: {(exception.InnerException ?? exception).Message}");
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        if (admin.Enabled)
        {
            host.MapAdmin(admin, telemetry);
        }

        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Bifro.Configuration");
        foreach (var key in SettingsCatalog.UnknownKeys(builder.Configuration))
        {
            // Ignored by the binder; most likely a typo of a real key.
            logger.LogWarning("Unknown setting {Key} is ignored: no component reads it", key);
        }

        return (host, errors);
    }

    /// <summary>The "events" stream provider's buffers, from "Bifro:Streams:events" (checked by NodeSettings).</summary>
    private static Action<MemoryStreamOptions> EventStreamOptions(IConfiguration configuration) =>
        options => configuration.GetSection($"{NodeSettings.StreamsSection}:{EventStreams.ProviderName}").Bind(options);

    /// <summary>Identity and the sections every node binds: ClusterId, ServiceId, its name.</summary>
    private static void ConfigureNode(ISiloBuilder silo, IConfiguration configuration, NodeOptions node)
    {
        silo.Services.Configure<ClusterOptions>(configuration.GetSection("Bifro:Cluster"));
        silo.Services.Configure<MessagingOptions>(configuration.GetSection("Bifro:Cluster:Messaging"));
        if (node.Name is { } name)
        {
            silo.Services.Configure<SiloOptions>(o => o.SiloName = name);
        }
    }
}
