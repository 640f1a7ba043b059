using System.Diagnostics;
using System.Globalization;
using Bifro.Bench.Load;
using Bifro.Bench.Mqtt;

namespace Bifro.Bench.Runner;

/// <summary>
/// Two Bifro nodes (silo + MQTT edge each) in one cluster on PostgreSQL, for the cross-node runs: publishers
/// connect to node A, subscribers to node B, so every message crosses from A's edge to B's edge. Each node
/// is the <c>--bifro</c> command with its own ports and data directory plus the cluster settings; node A
/// applies the schema (MigrateOnStart) and starts first, then B joins. The cluster counts as ready when a
/// message published on A reaches a subscriber on B (<see cref="WaitForPathAsync"/>): both nodes answering
/// CONNECT is not enough, since B may not be in A's membership view yet.
/// </summary>
internal sealed class BifroCluster : IBrokerUnderTest
{
    private static readonly TimeSpan s_probeAttempt = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_retryPause = TimeSpan.FromMilliseconds(500);
    private readonly BrokerProcess _a;
    private readonly BrokerProcess _b;

    private BifroCluster(BrokerProcess a, BrokerProcess b)
    {
        _a = a;
        _b = b;
    }

    public string Name => ReportWriter.CrossNode;

    public int PublisherPort => _a.Port;

    public int SubscriberPort => _b.Port;

    public IReadOnlyList<int> Pids => [_a.Pid, _b.Pid];

    public IReadOnlyList<string> LogPaths => [_a.LogPath, _b.LogPath];

    public bool HasExited => _a.HasExited || _b.HasExited;

    /// <summary>
    /// The arguments that make a node of <paramref name="clusterId"/>: appended to the <c>--bifro</c> command.
    /// The connection string is shell-quoted (it holds ';'); the command runs through /bin/sh.
    /// </summary>
    public static string ClusterArguments(string node, string clusterId, string connectionString, int siloPort, int gatewayPort, bool migrate)
    {
        var arguments = string.Create(CultureInfo.InvariantCulture,
            $"--Bifro:Node:Name={node} --Bifro:Cluster:Provider=postgres --Bifro:Cluster:Postgres:ConnectionString={BrokerProcess.ShellQuote(connectionString)} " +
            $"--Bifro:Cluster:ClusterId={clusterId} --Bifro:Cluster:ServiceId={clusterId} --Bifro:Cluster:Transport:BindAddress=127.0.0.1 " +
            $"--Bifro:Cluster:Transport:SiloPort={siloPort} --Bifro:Cluster:Transport:GatewayPort={gatewayPort}");
        return migrate ? arguments + " --Bifro:Cluster:Postgres:MigrateOnStart=true" : arguments;
    }

    /// <param name="nodeCommand">Node name ("a" or "b") → the full command line that starts it.</param>
    /// <param name="settle">Pause once the path works, before the cluster is handed to the scenario.</param>
    public static async Task<BifroCluster> StartAsync(
        Func<string, (string Command, int Port, string LogPath)> nodeCommand, TimeSpan readyTimeout, TimeSpan pathTimeout, TimeSpan settle,
        MqttVersion version, TextWriter log)
    {
        var (commandA, portA, logA) = nodeCommand("a");
        var a = await BrokerProcess.StartAsync("Bifro node a", commandA, portA, logA, readyTimeout, log);
        BrokerProcess? b = null;
        try
        {
            var (commandB, portB, logB) = nodeCommand("b");
            b = await BrokerProcess.StartAsync("Bifro node b", commandB, portB, logB, readyTimeout, log);
            var cluster = new BifroCluster(a, b);
            var took = await cluster.WaitForPathAsync(version, pathTimeout, log);
            log.WriteLine($"{cluster.Name} ready: a message published on node a (port {portA}) reached node b (port {portB}) {took.TotalSeconds:0.0} s after b answered");
            if (settle > TimeSpan.Zero)
            {
                // Node a learns of b from the membership table a moment after b joined, then moves grains
                // and reloads its route replica (0.5 s and 5 s after the change). Subscriptions made during
                // that were seen to be lost: a subscriber then gets nothing at all. The hop is measured on a
                // settled cluster; --cluster-settle-seconds 0 shows the join-time behaviour.
                log.WriteLine($"  letting the cluster settle for {settle.TotalSeconds:0.#} s (--cluster-settle-seconds)");
                await Task.Delay(settle);
                if (cluster.HasExited)
                {
                    throw new InvalidOperationException($"A node exited while the cluster settled.\n{cluster.LogTail()}");
                }
            }

            return cluster;
        }
        catch
        {
            var grace = TimeSpan.FromSeconds(10);
            await Task.WhenAll(a.StopAsync(grace, log), b?.StopAsync(grace, log) ?? Task.CompletedTask);
            throw;
        }
    }

    public Task StopAsync(TimeSpan grace, TextWriter log) => Task.WhenAll(_a.StopAsync(grace, log), _b.StopAsync(grace, log));

    public string LogTail(int lines = 20) => $"node a ({_a.LogPath}):\n{_a.LogTail(lines)}\nnode b ({_b.LogPath}):\n{_b.LogTail(lines)}";

    /// <summary>
    /// Subscribes on B and publishes QoS 0 on A every 100 ms until one message arrives; an attempt that fails
    /// (a CONNECT refused or timing out while the nodes settle) is retried on new connections until
    /// <paramref name="timeout"/>.
    /// </summary>
    private async Task<TimeSpan> WaitForPathAsync(MqttVersion version, TimeSpan timeout, TextWriter log)
    {
        var waited = Stopwatch.StartNew();
        var topic = $"bifro-bench/probe/{Guid.NewGuid():N}";
        string? lastError = null;
        for (var attempt = 1; waited.Elapsed < timeout; attempt++)
        {
            var handshake = Min(s_probeAttempt, timeout - waited.Elapsed);
            var onB = ConnectionSettings.Create("127.0.0.1", _b.Port, version, 60, handshake);
            var onA = ConnectionSettings.Create("127.0.0.1", _a.Port, version, 60, handshake);
            MqttConnection? subscriberConnection = null, publisherConnection = null;
            try
            {
                // A new client id per attempt: the previous attempt's session must not be taken over.
                subscriberConnection = await MqttConnection.OpenAsync(onB, $"bifro-bench-probe-b-{Environment.ProcessId}-{attempt}", 256, 4096);
                await subscriberConnection.SubscribeAsync(topic, 0, handshake);
                var subscriber = new Subscriber(subscriberConnection, phaseCount: 1);
                var loop = subscriber.RunAsync(dedicatedThread: false);
                publisherConnection = await MqttConnection.OpenAsync(onA, $"bifro-bench-probe-a-{Environment.ProcessId}-{attempt}", 4096, 256);
                var publisher = new Publisher(publisherConnection, new PublishTemplate(version, topic, 0, Payload.MinimumSize), 0, 1);
                var until = waited.Elapsed + s_probeAttempt;
                while (waited.Elapsed < until && subscriber.Phase(0).Received == 0 && !subscriber.Ended)
                {
                    await publisher.RunMaxRateAsync(0, 1).WaitAsync(s_probeAttempt);
                    await Task.Delay(100);
                }

                var arrived = subscriber.Phase(0).Received > 0;
                await publisher.DisconnectAsync(TimeSpan.FromSeconds(1));
                await subscriber.StopAsync(loop, TimeSpan.FromSeconds(1));
                if (arrived)
                {
                    return waited.Elapsed;
                }

                lastError = subscriber.Ended
                    ? $"the subscriber's connection on b ended ({subscriber.Error?.Message ?? "closed by the broker"})"
                    : $"nothing arrived within {s_probeAttempt.TotalSeconds:0} s";
            }
            catch (Exception e) when (e is MqttProtocolException or TimeoutException or System.Net.Sockets.SocketException or ObjectDisposedException or IOException)
            {
                lastError = e.Message;
            }
            finally
            {
                subscriberConnection?.Dispose();
                publisherConnection?.Dispose();
            }

            if (HasExited)
            {
                throw new InvalidOperationException($"A node exited while the cluster formed.\n{LogTail()}");
            }

            log.WriteLine($"  cross-node probe attempt {attempt}: {lastError}; retrying");
            await Task.Delay(s_retryPause);
        }

        throw new TimeoutException(
            $"No message published on node a reached node b within {timeout.TotalSeconds:0} s (last attempt: {lastError}).\n{LogTail()}");
    }

    private static TimeSpan Min(TimeSpan x, TimeSpan y) => x < y ? x : y;
}
