using System.Diagnostics;
using Bifro.Bench.Mqtt;
using Bifro.Bench.Runner;

namespace Bifro.Bench.Scenarios;

/// <summary>
/// Opens many clean-session connections that then do nothing, and compares the broker's VmRSS before and
/// after. The keep alive (300 s) is far longer than the hold, so no PINGREQ is needed while they sit.
/// </summary>
internal sealed class IdleMemoryScenario(ConnectionSettings settings, RunParameters parameters, int? brokerPid, string runId, TextWriter log)
{
    // CONNECT fits in 128 bytes and CONNACK, even 5.0 with properties, in 256: tiny buffers keep the load
    // generator's own footprint for 10,000 connections small.
    private const int SendBuffer = 128;
    private const int ReceiveBuffer = 256;
    private const int WarmUpConnections = 100;
    private static readonly TimeSpan s_closeWait = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_settle = TimeSpan.FromSeconds(1);

    public async Task<ScenarioResult> RunAsync()
    {
        var result = new ScenarioResult
        {
            Scenario = ScenarioCatalog.IdleMemory,
            Description = $"{parameters.IdleConnections:#,0} idle connections, broker VmRSS delta",
        };
        var started = Stopwatch.StartNew();
        var connections = new MqttConnection?[parameters.IdleConnections];
        try
        {
            await WarmUpAsync();
            var before = brokerPid is { } pid ? ProcStatus.ReadVmRssKiB(pid) : null;
            log.WriteLine($"  opening {connections.Length:#,0} connections; broker VmRSS before: {Describe(before)}");
            var connecting = Stopwatch.StartNew();
            await OpenAllAsync(connections, "idle");
            var connectSeconds = connecting.Elapsed.TotalSeconds;
            log.WriteLine($"  connected in {connectSeconds:0.00} s; holding {parameters.IdleSeconds:0.#} s");
            await Task.Delay(TimeSpan.FromSeconds(parameters.IdleSeconds));
            var after = brokerPid is { } p ? ProcStatus.ReadVmRssKiB(p) : null;
            if (brokerPid is not null && after is null)
            {
                throw new ScenarioFailedException("the broker process exited while the connections were idle");
            }

            var closed = connections.Count(c => c!.IsClosedByPeer());
            result.IdleMemory = new IdleMemoryResult
            {
                Connections = connections.Length,
                RssBeforeKiB = before,
                RssAfterKiB = after,
                ConnectSeconds = connectSeconds,
                ClosedByBroker = closed,
            };
            log.WriteLine(
                $"    VmRSS after: {Describe(after)}; {result.IdleMemory.KiBPerConnection:0.00} KiB per connection; " +
                $"{result.IdleMemory.ConnectsPerSecond:#,0} connects/s; closed by broker: {closed}");
            if (closed > 0)
            {
                result.Error = $"the broker closed {closed} idle connections";
            }
        }
        catch (Exception e)
        {
            result.Error = e is ScenarioFailedException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            log.WriteLine($"  {ScenarioCatalog.IdleMemory} failed: {result.Error}");
        }
        finally
        {
            await CloseAllAsync(connections);
            result.WallSeconds = started.Elapsed.TotalSeconds;
        }

        return result;
    }

    private static string Describe(long? kib) => kib is { } v ? $"{v:#,0} KiB" : "unknown (no broker pid)";

    /// <summary>
    /// Opens and closes a few connections first, so that first-use costs (JIT of the connect path, assembly
    /// loading, pools) are in the baseline and not divided among the idle connections. Both brokers get it.
    /// </summary>
    private async Task WarmUpAsync()
    {
        var warm = new MqttConnection?[Math.Min(WarmUpConnections, parameters.IdleConnections)];
        try
        {
            await OpenAllAsync(warm, "warm");
        }
        finally
        {
            await CloseAllAsync(warm);
        }

        await Task.Delay(s_settle);
    }

    /// <summary>A few workers take the next index until all are open, so connects overlap but stay bounded.</summary>
    private async Task OpenAllAsync(MqttConnection?[] connections, string role)
    {
        var next = -1;
        var workers = new Task[Math.Min(parameters.ConnectConcurrency, connections.Length)];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < connections.Length)
                {
                    connections[i] = await MqttConnection.OpenAsync(settings, $"bb-{runId}-{role}-{i}", SendBuffer, ReceiveBuffer);
                }
            });
        }

        try
        {
            await Task.WhenAll(workers);
        }
        catch (Exception e)
        {
            var opened = connections.Count(c => c is not null);
            throw new ScenarioFailedException($"connection {opened + 1} of {connections.Length} failed: {e.Message}", e);
        }
    }

    private async Task CloseAllAsync(MqttConnection?[] connections)
    {
        var next = -1;
        var workers = new Task[Math.Min(256, connections.Length)];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < connections.Length)
                {
                    if (connections[i] is { } connection)
                    {
                        await connection.DisconnectAsync(s_closeWait);
                    }
                }
            });
        }

        await Task.WhenAll(workers);
    }
}
