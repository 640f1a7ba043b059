using System.Diagnostics;
using Bifro.Bench.Load;
using Bifro.Bench.Mqtt;
using Bifro.Bench.Runner;

namespace Bifro.Bench.Scenarios;

/// <summary>
/// Runs one <see cref="ThroughputSpec"/>: subscribers connect and subscribe, publishers connect, a probe checks
/// that every subscription reaches the publishers' node (ThroughputScenario.Probe.cs), then a short warm-up,
/// phase A (max rate, fixed count), a settle pause and phase B (paced), each phase ended by the watchdog in
/// ThroughputScenario.Phase.cs. Connections stay open across phases; payloads carry the phase number.
/// </summary>
/// <param name="endpoints">Where publishers and subscribers connect (one broker, or two nodes), and the
/// broker's pids, to report its CPU use during the settle pause.</param>
internal sealed partial class ThroughputScenario(
    ThroughputSpec spec, ScenarioEndpoints endpoints, RunParameters parameters, string runId, TextWriter log)
{
    private const byte WarmupPhase = 0;
    private const byte MaxRatePhase = 1;
    private const byte PacedPhase = 2;
    private const byte ProbePhase = 3;
    private const int PhaseCount = 4;
    private const int PublisherSendBuffer = 32 * 1024;
    private const int PublisherReceiveBuffer = 16 * 1024;

    // A publisher at max rate keeps its kernel send queue full. Autotuned, that queue grows to 4 MiB per
    // connection (tcp_wmem), tens of thousands of messages, and phase A latency would mostly measure our own
    // queue. 64 KiB (the kernel doubles it) keeps the backlog in the broker, where it belongs in the result.
    private const int PublisherSocketSendBuffer = 64 * 1024;
    private const int SubscriberSendBuffer = 16 * 1024;
    private const int SubscriberReceiveBuffer = 64 * 1024;
    private static readonly TimeSpan s_closeWait = TimeSpan.FromSeconds(2);

    private readonly List<Publisher> _publishers = [];
    private readonly List<Subscriber> _subscribers = [];
    private readonly List<Task> _subscriberLoops = [];

    public async Task<ScenarioResult> RunAsync()
    {
        var result = new ScenarioResult { Scenario = spec.Name, Description = spec.Description };
        var started = Stopwatch.StartNew();
        var failed = false;
        try
        {
            await ConnectAsync();
            await ProbeRoutesAsync();
            var warmup = parameters.WarmupCount(spec);
            if (warmup > 0)
            {
                await RunPhaseAsync(WarmupPhase, "warmup", warmup, 0);
            }

            result.MaxRate = await RunPhaseAsync(MaxRatePhase, "A max rate", parameters.PhaseACount(spec), 0);
            result.Settle = await SettleAsync();
            result.Paced = await RunPhaseAsync(
                PacedPhase, "B paced", parameters.PacedCount(spec), parameters.PacedRatePerPublisher(spec));
        }
        catch (Exception e)
        {
            failed = true;
            result.Error = e is ScenarioFailedException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            log.WriteLine($"  {spec.Name} failed: {result.Error}");
        }
        finally
        {
            await CloseAsync(failed);
            result.WallSeconds = started.Elapsed.TotalSeconds;
        }

        return result;
    }

    /// <summary>
    /// Waits <see cref="RunParameters.SettleSeconds"/> between phase A and phase B, with every connection open
    /// and idle, so that what the burst left behind (a background GC still running, queues and socket buffers
    /// shrinking) is not measured as paced latency. Both brokers get the same pause. A collection due only on
    /// allocation still comes with B's first messages; that belongs to B's result.
    /// </summary>
    private async Task<CpuUsage?> SettleAsync()
    {
        if (parameters.SettleSeconds <= 0)
        {
            return null;
        }

        var before = CpuSample.Take(endpoints.BrokerPids);
        await Task.Delay(TimeSpan.FromSeconds(parameters.SettleSeconds));
        if (endpoints.BrokerPids.Count == 0)
        {
            log.WriteLine($"  settle: {parameters.SettleSeconds:0.#} s");
            return null;
        }

        var usage = CpuSample.Take(endpoints.BrokerPids).Since(before);
        log.WriteLine($"  settle: {parameters.SettleSeconds:0.#} s; broker CPU {usage.BrokerSeconds:0.00} s during it");
        return usage;
    }

    private async Task ConnectAsync()
    {
        var prefix = $"bifro-bench/{runId}/{spec.Name}";
        var dedicated = Subscriber.UseDedicatedThreads(spec.Subscribers);
        for (var i = 0; i < spec.Subscribers; i++)
        {
            var index = i;
            var connection = dedicated
                ? await Task.Run(() => OpenSubscriber(prefix, index))
                : await OpenSubscriberAsync(prefix, index);

            var subscriber = new Subscriber(connection, PhaseCount);
            _subscribers.Add(subscriber);
            _subscriberLoops.Add(subscriber.RunAsync(dedicated));
        }

        for (var i = 0; i < spec.Publishers; i++)
        {
            var connection = await MqttConnection.OpenAsync(
                endpoints.Publishers, $"bb-{runId}-{spec.Name}-p{i}", PublisherSendBuffer, PublisherReceiveBuffer, PublisherSocketSendBuffer);
            if (i == 0 && connection.TlsDescription is { } tls)
            {
                log.WriteLine($"  TLS: {tls}, user {endpoints.Publishers.Credentials?.Username ?? "(none)"}");
            }

            var template = new PublishTemplate(endpoints.Publishers.Version, spec.PublisherTopic(prefix, i), spec.Qos, parameters.PayloadSize);
            _publishers.Add(new Publisher(connection, template, i, parameters.Window));
        }

        if (spec.Qos > 0 && _publishers[0].Window < parameters.Window)
        {
            log.WriteLine($"  broker allows {_publishers[0].Window} unacknowledged publishes (Receive Maximum); window lowered");
        }
    }

    /// <summary>Subscribers use blocking sockets on their own threads (see <see cref="Subscriber"/>).</summary>
    private MqttConnection OpenSubscriber(string prefix, int index)
    {
        var connection = MqttConnection.OpenBlocking(endpoints.Subscribers, $"bb-{runId}-{spec.Name}-s{index}", SubscriberSendBuffer, SubscriberReceiveBuffer);
        try
        {
            connection.Subscribe(spec.SubscriberTopic(prefix, index), spec.Qos);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private async Task<MqttConnection> OpenSubscriberAsync(string prefix, int index)
    {
        var connection = await MqttConnection.OpenAsync(endpoints.Subscribers, $"bb-{runId}-{spec.Name}-s{index}", SubscriberSendBuffer, SubscriberReceiveBuffer);
        try
        {
            await connection.SubscribeAsync(spec.SubscriberTopic(prefix, index), spec.Qos, endpoints.Subscribers.HandshakeTimeout);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private async Task CloseAsync(bool abort)
    {
        if (abort)
        {
            // Something failed: do not wait on a broker that may not answer.
            _publishers.ForEach(p => p.Abort());
            _subscribers.ForEach(s => s.Abort());
            await Task.WhenAny(Task.WhenAll(_subscriberLoops), Task.Delay(s_closeWait));
            return;
        }

        await Task.WhenAll(_publishers.Select(p => p.DisconnectAsync(s_closeWait)));
        await Task.WhenAll(_subscribers.Select((s, i) => s.StopAsync(_subscriberLoops[i], s_closeWait)));
    }
}
