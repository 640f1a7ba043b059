using System.Globalization;
using Bifro.TestKit;

namespace Bifro.EndToEnd.Tests.Listeners;

/// <summary>Command-line arguments that open a listener on a free loopback port.</summary>
internal static class ListenerArguments
{
    /// <summary>Debug logs of the edge: connections ("... from {address} on listener {name}") and listener decisions.</summary>
    public static readonly string[] DebugLogs = ["--Logging:LogLevel:Bifro.MqttEdge=Debug"];

    public static string[] Listener(string section, int port) =>
    [
        $"--Bifro:Mqtt:{section}:Enabled=true",
        $"--Bifro:Mqtt:{section}:BindAddress=127.0.0.1",
        $"--Bifro:Mqtt:{section}:Port={port.ToString(CultureInfo.InvariantCulture)}",
    ];

    /// <summary>A TLS listener with a PEM certificate and key, asking clients for certificates per <paramref name="mode"/>.</summary>
    public static string[] Tls(string section, int port, CertificateFiles server, string mode = "None", CertificateFiles? clientAuthority = null) =>
    [
        .. Listener(section, port),
        $"--Bifro:Mqtt:{section}:Certificate:Path={server.CertificatePath}",
        $"--Bifro:Mqtt:{section}:Certificate:KeyPath={server.KeyPath}",
        $"--Bifro:Mqtt:{section}:ClientCertificateMode={mode}",
        .. clientAuthority is null ? Array.Empty<string>() : [$"--Bifro:Mqtt:{section}:ClientCaPath={clientAuthority.CertificatePath}"],
    ];
}
