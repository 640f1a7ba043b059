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

/// <summary>Builds an all-in-one node: a silo and an MQTT edge in one process, configured from appsettings.json, environment and command line.</summary>
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
        var node = ConfigurationErrors.Bind(builder.Configuration, NodeOptions.SectionName, errors, new NodeOptionsValidator());
        var mqtt = ConfigurationErrors.Bind(builder.Configuration, MqttOptions.SectionName, errors, new MqttOptionsValidator());
        var sharding = ConfigurationErrors.Bind<ShardingOptions>(builder.Configuration, "Bifro:Sharding", errors);
        ConfigurationErrors.Bind<ClusterOptions>(builder.Configuration, "Bifro:Cluster", errors);
        var auth = ConfigurationErrors.Bind(builder.Configuration, AuthOptions.SectionName, errors, new AuthOptionsValidator());
        if (sharding.RouteShards < 1 || sharding.RetainShards < 1)
        {
            errors.Add("Bifro:Sharding:RouteShards and Bifro:Sharding:RetainShards must be at least 1.");
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        // Fail closed from the start: no provider, or one that cannot be loaded, and the node does not start.
        AuthProviderRegistration.Register(builder.Services, auth, errors);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var dataDirectory = Path.GetFullPath(node.DataDirectory);
        Directory.CreateDirectory(dataDirectory);

        builder.Services.Configure<ShardingOptions>(builder.Configuration.GetSection("Bifro:Sharding"));
        builder.Services.Configure<InboxOptions>(o => o.MaxMessages = mqtt.MaxOfflineMessages);
        builder.Services.Configure<AuthOptions>(builder.Configuration.GetSection(AuthOptions.SectionName));
        builder.Services.AddHostedService<AuthProviderAnnouncer>();
        builder.Services.AddBifroSilo(builder.Configuration, silo =>
        {
            silo.Services.Configure<ClusterOptions>(builder.Configuration.GetSection("Bifro:Cluster"));
            silo.AddMqttAuthorization();
            if (node.Storage == "memory")
            {
                silo.AddMemoryGrainStorage();
                silo.UseInMemoryReminderService();
            }
            else
            {
                // One embedded database file holds grain state, grain collections and reminders.
                var database = Path.Combine(dataDirectory, "bifro.db");
                silo.AddSqliteGrainStorageAsDefault(o => o.DataSource = database);
                silo.UseSqliteReminderService(o => o.DataSource = database);
            }
        });
        builder.Services.AddMqttEdge(builder.Configuration);
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
            kestrel.ListenMqtt(mqtt);
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

        return (host, errors);
    }
}
