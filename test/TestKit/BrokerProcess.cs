using System.Net.Sockets;

namespace Bifro.TestKit;

/// <summary>
/// A Bifro node started as its own process on a free loopback port, the way a user runs it: end-to-end
/// tests drive it with real clients, restart it on the same data, interrupt it (Ctrl+C) or kill -9 it.
/// </summary>
public sealed class BrokerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly string[] _extraArguments;
    private readonly bool _ownsDataDirectory;
    private RunningProcess? _process;

    private BrokerProcess(int port, string dataDirectory, bool ownsDataDirectory, string[] extraArguments)
    {
        Port = port;
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
        _extraArguments = extraArguments;
    }

    public int Port { get; }

    public string Host => "127.0.0.1";

    public string DataDirectory { get; }

    /// <summary>The node's output so far (for assertion messages).</summary>
    public string Output => _process?.Output ?? string.Empty;

    public RunningProcess Process => _process ?? throw new InvalidOperationException("The broker is not running.");

    /// <summary>
    /// Starts a node. <paramref name="arguments"/> are extra command-line arguments, such as
    /// "--Bifro:Mqtt:ConnectTimeout=00:00:02". Unless they set a "Bifro:Auth:" key (or --auth), the node
    /// runs with the allow-all auth provider; unless they set a "Bifro:Risk:" key, loopback is exempt from risk bans.
    /// </summary>
    public static async Task<BrokerProcess> StartAsync(string? dataDirectory = null, params string[] arguments)
    {
        var owns = dataDirectory is null;
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "bifro-test-" + Guid.NewGuid().ToString("N"));
        var broker = new BrokerProcess(FreePort.Next(), dataDirectory, owns, arguments);
        await broker.StartProcessAsync().ConfigureAwait(false);
        return broker;
    }

    /// <summary>
    /// Starts a node's process without waiting for it to be ready, for a node that may never be (one the
    /// cluster refuses); <see cref="WaitUntilStartedAsync"/> waits.
    /// </summary>
    public static BrokerProcess Launch(string? dataDirectory = null, params string[] arguments)
    {
        var owns = dataDirectory is null;
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "bifro-test-" + Guid.NewGuid().ToString("N"));
        var broker = new BrokerProcess(FreePort.Next(), dataDirectory, owns, arguments);
        broker.StartProcess();
        return broker;
    }

    /// <summary>Stops the node gracefully (SIGINT) and starts it again on the same port and data.</summary>
    public async Task RestartAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await StartProcessAsync().ConfigureAwait(false);
    }

    /// <summary>Ctrl+C: returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (_process is null || _process.HasExited)
        {
            return _process?.ExitCode ?? 0;
        }

        _process.Interrupt();
        try
        {
            return await _process.WaitForExitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            throw new TimeoutException("The broker did not stop within 30 seconds of SIGINT.\n" + Output);
        }
    }

    /// <summary>kill -9.</summary>
    public async Task KillAsync()
    {
        if (_process is not null)
        {
            _process.Kill();
            await _process.WaitForExitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync().ConfigureAwait(false);
        }

        if (_ownsDataDirectory && Directory.Exists(DataDirectory))
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private async Task StartProcessAsync()
    {
        StartProcess();
        await WaitUntilStartedAsync().ConfigureAwait(false);
    }

    /// <summary>Waits until the node says it started and accepts MQTT connections; fails at once if it exits first.</summary>
    public async Task WaitUntilStartedAsync()
    {
        var process = Process;
        var started = process.WaitForLineAsync("Bifro node started.", StartTimeout);
        // Completes when the process ends, whenever that is; a node that started leaves it pending.
        var exited = process.WaitForExitAsync(Timeout.InfiniteTimeSpan);
        try
        {
            if (await Task.WhenAny(started, exited).ConfigureAwait(false) != started)
            {
                throw new InvalidOperationException($"The broker exited before it started (exit {process.ExitCode}).\n" + Output);
            }

            await started.ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException("The broker did not start.\n" + Output);
        }

        // Listening is part of start-up, so the port accepts connections now; check it all the same.
        using var client = new TcpClient();
        await client.ConnectAsync(Host, Port).ConfigureAwait(false);
    }

    private void StartProcess()
    {
        var nodeAssembly = RepositoryPaths.NodeAssembly;
        if (!File.Exists(nodeAssembly))
        {
            throw new FileNotFoundException($"The node is not built at {nodeAssembly}.");
        }

        var arguments = new List<string>
        {
            nodeAssembly,
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--data-dir", DataDirectory,
        };
        // A node refuses to start without an auth provider; tests that are not about authentication run an open one.
        if (!_extraArguments.Any(a => a.Contains("Bifro:Auth:", StringComparison.Ordinal) || a == "--auth"))
        {
            arguments.Add("--Bifro:Auth:Provider=allow-all");
        }

        // Every test client comes from loopback: tests that are not about the risk detector must not have their
        // deliberate protocol errors and refused logins ban the address every other test connects from.
        if (!_extraArguments.Any(a => a.Contains("Bifro:Risk:", StringComparison.Ordinal)))
        {
            arguments.Add("--Bifro:Risk:ExemptAddresses:0=127.0.0.0/8");
        }

        arguments.AddRange(_extraArguments);
        _process = ExternalProcess.StartBackground("dotnet", arguments);
    }
}
