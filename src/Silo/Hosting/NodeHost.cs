using Bifro.Configuration;
using Bifro.Grains;
using Bifro.Grains.Inbox;
using Bifro.Hosting;
using Bifro.MqttEdge.Configuration;
using Bifro.Runtime;
using Bifro.Silo.Configuration;
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
        if (sharding.RouteShards < 1 || sharding.RetainShards < 1)
        {
            errors.Add("Bifro:Sharding:RouteShards and Bifro:Sharding:RetainShards must be at least 1.");
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var dataDirectory = Path.GetFullPath(node.DataDirectory);
        Directory.CreateDirectory(dataDirectory);

        builder.Services.Configure<ShardingOptions>(builder.Configuration.GetSection("Bifro:Sharding"));
        builder.Services.Configure<InboxOptions>(o => o.MaxMessages = mqtt.MaxOfflineMessages);
        builder.Services.AddBifroSilo(builder.Configuration, silo =>
        {
            silo.Services.Configure<ClusterOptions>(builder.Configuration.GetSection("Bifro:Cluster"));
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

        return (builder.Build(), errors);
    }
}
