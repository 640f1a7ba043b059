using System.CommandLine;
using Bifro.Bench.Mqtt;

namespace Bifro.Bench.Cli;

/// <summary>--host, --port, --mqtt, and TLS and credentials, for the subcommands that target an already running broker.</summary>
internal sealed class EndpointOptions
{
    public Option<string> Host { get; } = new("--host") { Description = "Broker address", DefaultValueFactory = _ => "127.0.0.1" };

    public Option<int> Port { get; } = new("--port") { Description = "Broker port", DefaultValueFactory = _ => 1883 };

    public Option<string> Mqtt { get; } = LoadOptions.MqttOption();

    public Option<string?> CaFile { get; } = new("--cafile") { Description = "Connect over TLS, trusting only this PEM CA certificate (the broker's must name --host)" };

    public Option<string?> Username { get; } = new("--username") { Description = "User name in CONNECT" };

    public Option<string?> Password { get; } = new("--password") { Description = "Password in CONNECT (with --username)" };

    public void AddTo(Command command, bool withVersion = true)
    {
        command.Options.Add(Host);
        command.Options.Add(Port);
        command.Options.Add(CaFile);
        command.Options.Add(Username);
        command.Options.Add(Password);
        if (withVersion)
        {
            command.Options.Add(Mqtt);
        }
    }

    public ConnectionSettings Settings(ParseResult result, MqttVersion? version = null)
    {
        var settings = ConnectionSettings.Create(
            result.GetValue(Host)!,
            result.GetValue(Port),
            version ?? LoadOptions.ParseVersion(result.GetValue(Mqtt)!),
            keepAliveSeconds: 300,
            handshakeTimeout: TimeSpan.FromSeconds(10));
        return settings with
        {
            Tls = result.GetValue(CaFile) is { } ca ? TlsClientSettings.FromCaFile(ca, result.GetValue(Host)!) : null,
            Credentials = result.GetValue(Username) is { } user ? new MqttCredentials(user, result.GetValue(Password) ?? "") : null,
        };
    }
}
