using System.Diagnostics;
using Bifro.Bench.Mqtt;

namespace Bifro.Bench.Runner;

/// <summary>
/// A broker started from a command line. It runs through <c>/bin/sh -c "exec ..."</c>: the shell handles
/// quoting and redirection, then replaces itself with the broker, so <see cref="Pid"/> is the broker's own
/// pid (what idle-memory reads VmRSS from), not a wrapper's. It is known to <see cref="ExitGuard"/> until it
/// has exited, so that a signal to the runner does not leave it running.
/// </summary>
internal sealed class BrokerProcess : IBrokerUnderTest
{
    private static readonly TimeSpan s_probeInterval = TimeSpan.FromMilliseconds(100);
    private readonly Process _process;

    private BrokerProcess(Process process, string name, int port, string logPath)
    {
        _process = process;
        Name = name;
        Port = port;
        LogPath = logPath;
    }

    public string Name { get; }

    public int Port { get; }

    public string LogPath { get; }

    public int Pid => _process.Id;

    /// <summary>TLS protocol and cipher suite the ready probe negotiated; null over plain TCP.</summary>
    public string? NegotiatedTls { get; private set; }

    public int PublisherPort => Port;

    public int SubscriberPort => Port;

    public IReadOnlyList<int> Pids => [Pid];

    public IReadOnlyList<string> LogPaths => [LogPath];

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts the broker and waits until an MQTT CONNECT on <paramref name="port"/> gets a CONNACK (a bare TCP
    /// accept is not enough: a listener may be up before the broker can serve).
    /// </summary>
    public static Task<BrokerProcess> StartAsync(string name, string commandLine, int port, string logPath, TimeSpan readyTimeout, TextWriter log) =>
        StartAsync(name, commandLine, ConnectionSettings.Create("127.0.0.1", port, MqttVersion.V311, 60, TimeSpan.FromSeconds(2)), logPath, readyTimeout, log);

    /// <summary>
    /// Starts the broker and waits until a CONNECT made as <paramref name="probe"/> says (TLS and credentials
    /// included, so a TLS or auth setup the broker refuses fails here, with the reason) gets a CONNACK.
    /// </summary>
    public static async Task<BrokerProcess> StartAsync(string name, string commandLine, ConnectionSettings probe, string logPath, TimeSpan readyTimeout, TextWriter log)
    {
        var port = probe.EndPoint.Port;
        log.WriteLine($"starting {name}: {commandLine}");
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"exec {commandLine} </dev/null >>{ShellQuote(logPath)} 2>&1");
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {name}.");
        ExitGuard.Track(process);
        var broker = new BrokerProcess(process, name, port, logPath);
        var waited = Stopwatch.StartNew();
        Exception? lastFailure = null;
        while (waited.Elapsed < readyTimeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{name} exited with code {process.ExitCode} while starting.\n{broker.LogTail()}");
            }

            if (await LoopbackPort.AcceptsAsync(port, TimeSpan.FromSeconds(1)))
            {
                var (tls, failure) = await TryMqttConnectAsync(probe);
                if (failure is null)
                {
                    var over = tls is null ? "" : $" over {tls}";
                    log.WriteLine($"{name} ready on 127.0.0.1:{port}{over} (pid {process.Id}) after {waited.Elapsed.TotalSeconds:0.0} s");
                    broker.NegotiatedTls = tls;
                    return broker;
                }

                lastFailure = failure;
            }

            await Task.Delay(s_probeInterval);
        }

        await broker.StopAsync(TimeSpan.FromSeconds(5), log);
        var why = lastFailure is null ? "" : $" The last attempt: {lastFailure.GetType().Name}: {lastFailure.Message}";
        throw new TimeoutException($"{name} did not accept MQTT connections on port {port} within {readyTimeout.TotalSeconds:0} s.{why}\n{broker.LogTail()}");
    }

    /// <summary>SIGTERM, then SIGKILL if the broker is still running after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace, TextWriter log)
    {
        if (_process.HasExited)
        {
            ExitGuard.Untrack(_process);
            return;
        }

        NativeMethods.Kill(_process.Id, NativeMethods.SigTerm);
        using var cts = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            log.WriteLine($"{Name} stopped (exit code {_process.ExitCode})");
        }
        catch (OperationCanceledException)
        {
            log.WriteLine($"{Name} ignored SIGTERM for {grace.TotalSeconds:0} s; killing it");
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        ExitGuard.Untrack(_process);
    }

    public string LogTail(int lines = 20)
    {
        try
        {
            var all = File.ReadAllLines(LogPath);
            return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    /// <returns>The probe's TLS description and null when it got a CONNACK, else the failure.</returns>
    private static async Task<(string? Tls, Exception? Failure)> TryMqttConnectAsync(ConnectionSettings probe)
    {
        try
        {
            var connection = await MqttConnection.OpenAsync(probe, $"bifro-bench-probe-{Environment.ProcessId}", 128, 256);
            var tls = connection.TlsDescription;
            await connection.DisconnectAsync(TimeSpan.FromSeconds(1));
            return (tls, null);
        }
        catch (Exception e) when (e is MqttProtocolException or TimeoutException or System.Net.Sockets.SocketException or ObjectDisposedException
            or IOException or System.Security.Authentication.AuthenticationException)
        {
            return (null, e);
        }
    }

    public static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
