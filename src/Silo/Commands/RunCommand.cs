using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Bifro.MqttEdge.Configuration;
using Bifro.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bifro.Silo.Commands;

/// <summary>
/// Runs a node (the default command). Friendly options map onto configuration keys; any other
/// "--Bifro:Section:Key=value" argument goes to configuration as is.
/// </summary>
internal static class RunCommand
{
    private static readonly Option<string?> s_dataDirectory = new("--data-dir") { Description = "Where the node keeps its data (Bifro:Node:DataDirectory; ./data by default)." };
    private static readonly Option<int?> s_port = new("--port") { Description = "The MQTT TCP port (Bifro:Mqtt:Tcp:Port; 1883 by default)." };
    private static readonly Option<string?> s_bind = new("--bind") { Description = "The address to listen on (Bifro:Mqtt:Tcp:BindAddress; 0.0.0.0 by default)." };
    private static readonly Option<string?> s_auth = new("--auth") { Description = "The auth provider: file, postgres, http, scram, plugin or allow-all (Bifro:Auth:Provider; required)." };
    private static readonly Option<string?> s_storage = new("--storage") { Description = "sqlite (default) or memory (Bifro:Node:Storage)." };

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(s_dataDirectory);
        root.Options.Add(s_port);
        root.Options.Add(s_bind);
        root.Options.Add(s_storage);
        root.Options.Add(s_auth);
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction(async (parse, cancellationToken) => await RunAsync(parse, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var configuration = new List<string>(parse.UnmatchedTokens);
        if (parse.GetValue(s_dataDirectory) is { } dataDirectory)
        {
            configuration.Add($"--Bifro:Node:DataDirectory={dataDirectory}");
        }

        if (parse.GetValue(s_port) is { } port)
        {
            configuration.Add($"--Bifro:Mqtt:Tcp:Port={port}");
        }

        if (parse.GetValue(s_bind) is { } bind)
        {
            configuration.Add($"--Bifro:Mqtt:Tcp:BindAddress={bind}");
        }

        if (parse.GetValue(s_storage) is { } storage)
        {
            configuration.Add($"--Bifro:Node:Storage={storage}");
        }

        if (parse.GetValue(s_auth) is { } auth)
        {
            configuration.Add($"--Bifro:Auth:Provider={auth}");
        }

        var (host, errors) = NodeHost.Build(configuration.ToArray());
        if (host is null)
        {
            foreach (var error in errors)
            {
                await Console.Error.WriteLineAsync($"Configuration error: {error}").ConfigureAwait(false);
            }

            return 2;
        }

        try
        {
            await host.StartAsync().ConfigureAwait(false);
        }
        catch (IOException exception) when (exception.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            await Console.Error.WriteLineAsync($"Configuration error: {exception.Message} {ListenerInUse(host, exception.Message)}").ConfigureAwait(false);
            return 3;
        }
        catch (Runtime.ClusterConnectivityException exception)
        {
            await Console.Error.WriteLineAsync($"Cluster error: {exception.Message}").ConfigureAwait(false);
            return 4;
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException exception)
        {
            foreach (var failure in exception.Failures)
            {
                await Console.Error.WriteLineAsync($"Configuration error: {failure}").ConfigureAwait(false);
            }

            return 2;
        }

        await Console.Out.WriteLineAsync("Bifro node started.").ConfigureAwait(false);
        // System.CommandLine takes SIGINT and SIGTERM and cancels this token; the host then stops gracefully.
        await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        await host.DisposeAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>Which listener's keys to change when its address is taken (Kestrel's message names the address).</summary>
    private static string ListenerInUse(Microsoft.AspNetCore.Builder.WebApplication host, string message)
    {
        var mqtt = host.Services.GetRequiredService<IOptions<MqttOptions>>().Value;
        (MqttListenerOptions Listener, string Section)[] listeners = [(mqtt.Tcp, "Tcp"), (mqtt.Tls, "Tls"), (mqtt.Ws, "Ws"), (mqtt.Wss, "Wss")];
        foreach (var (listener, section) in listeners)
        {
            if (listener.Enabled && section != "Tcp" && message.Contains($":{listener.Port}:", StringComparison.Ordinal))
            {
                return $"Change Bifro:Mqtt:{section}:Port or Bifro:Mqtt:{section}:BindAddress.";
            }
        }

        return "Change Bifro:Mqtt:Tcp:Port (--port) or Bifro:Mqtt:Tcp:BindAddress (--bind).";
    }
}
