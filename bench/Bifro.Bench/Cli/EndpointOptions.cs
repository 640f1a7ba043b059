using System.CommandLine;
using Bifro.Bench.Mqtt;

namespace Bifro.Bench.Cli;

/// <summary>--host, --port and --mqtt for the subcommands that target an already running broker.</summary>
internal sealed class EndpointOptions
{
    public Option<string> Host { get; } = new("--host") { Description = "Broker address", DefaultValueFactory = _ => "127.0.0.1" };

    public Option<int> Port { get; } = new("--port") { Description = "Broker port", DefaultValueFactory = _ => 1883 };

    public Option<string> Mqtt { get; } = LoadOptions.MqttOption();

    public void AddTo(Command command, bool withVersion = true)
    {
        command.Options.Add(Host);
        command.Options.Add(Port);
        if (withVersion)
        {
            command.Options.Add(Mqtt);
        }
    }

    public ConnectionSettings Settings(ParseResult result, MqttVersion? version = null) => ConnectionSettings.Create(
        result.GetValue(Host)!,
        result.GetValue(Port),
        version ?? LoadOptions.ParseVersion(result.GetValue(Mqtt)!),
        keepAliveSeconds: 300,
        handshakeTimeout: TimeSpan.FromSeconds(10));
}
