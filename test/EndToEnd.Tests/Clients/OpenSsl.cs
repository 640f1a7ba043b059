using Bifro.TestKit;

namespace Bifro.EndToEnd.Tests.Clients;

/// <summary>openssl s_client, for what MQTT clients cannot choose: the TLS version.</summary>
internal static class OpenSsl
{
    public static Task<ProcessResult> ClientAsync(int port, params string[] arguments) =>
        ExternalProcess.RunAsync(
            "openssl",
            ["s_client", "-connect", $"127.0.0.1:{port}", "-brief", "-cipher", "DEFAULT@SECLEVEL=0", .. arguments],
            TimeSpan.FromSeconds(20),
            standardInput: string.Empty);
}
