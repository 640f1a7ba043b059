using Bifro.Configuration;
using Bifro.Grains;
using Bifro.MqttEdge.Configuration;
using Bifro.Silo.Hosting;
using Microsoft.Extensions.Configuration;

namespace Bifro.Silo.Configuration;

/// <summary>
/// Every section a node reads, bound and checked together before anything starts, so that a bad value
/// stops the node with messages naming each key. The deployment examples are checked with it too.
/// </summary>
internal sealed record NodeSettings(
    NodeOptions Node,
    ClusterHostingOptions Cluster,
    MqttOptions Mqtt,
    ShardingOptions Sharding,
    AuthOptions Auth,
    EventOptions Events,
    AdminOptions Admin,
    TelemetryOptions Telemetry)
{
    /// <summary>The memory stream providers' options, by provider name ("Bifro:Streams:events").</summary>
    public const string StreamsSection = "Bifro:Streams";

    public static NodeSettings Read(IConfiguration configuration, List<string> errors)
    {
        var node = ConfigurationErrors.Bind<NodeOptions>(configuration, NodeOptions.SectionName, errors);
        var cluster = ConfigurationErrors.Bind<ClusterHostingOptions>(configuration, ClusterHostingOptions.SectionName, errors);
        var mqtt = ConfigurationErrors.Bind(configuration, MqttOptions.SectionName, errors, new MqttOptionsValidator());
        var sharding = ConfigurationErrors.Bind<ShardingOptions>(configuration, "Bifro:Sharding", errors);
        ConfigurationErrors.Bind<ClusterOptions>(configuration, "Bifro:Cluster", errors);
        var auth = ConfigurationErrors.Bind(configuration, AuthOptions.SectionName, errors, new AuthOptionsValidator());
        var events = ConfigurationErrors.Bind(configuration, EventOptions.SectionName, errors, new EventOptionsValidator(checkCollectorNames: true));
        ConfigurationErrors.Bind(configuration, RiskOptions.SectionName, errors, new RiskOptionsValidator());
        ConfigurationErrors.Bind(configuration, $"{StreamsSection}:{EventStreams.ProviderName}", errors, new MemoryStreamOptionsValidator(), EventStreams.ProviderName);
        var admin = ConfigurationErrors.Bind(configuration, AdminOptions.SectionName, errors, new AdminOptionsValidator());
        var telemetry = ConfigurationErrors.Bind(configuration, TelemetryOptions.SectionName, errors, new TelemetryOptionsValidator());
        errors.AddRange(ConfigurationSettingProvider.Validate(configuration));
        NodeOptionsValidator.Validate(node, cluster, errors);
        if (cluster.Enabled)
        {
            ClusterConfiguration.Validate(configuration, node, errors);
        }

        if (sharding.RouteShards < 1 || sharding.RetainShards < 1)
        {
            errors.Add("Bifro:Sharding:RouteShards and Bifro:Sharding:RetainShards must be at least 1.");
        }

        return new NodeSettings(node, cluster, mqtt, sharding, auth, events, admin, telemetry);
    }
}
