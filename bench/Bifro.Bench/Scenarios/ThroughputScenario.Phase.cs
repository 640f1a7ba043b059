using System.Diagnostics;
using Bifro.Bench.Load;
using Bifro.Bench.Runner;

namespace Bifro.Bench.Scenarios;

/// <summary>One phase: start every publisher's loop, watch progress, and collect the subscribers' counters.</summary>
internal sealed partial class ThroughputScenario
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(50);

    /// <param name="ratePerPublisher">Messages per second per publisher, or 0 for as fast as possible.</param>
    private async Task<PhaseResult> RunPhaseAsync(byte phase, string name, long perPublisher, double ratePerPublisher)
    {
        var expected = spec.ExpectedDeliveries(perPublisher);
        var rateText = ratePerPublisher > 0 ? $" at {ratePerPublisher:#,0}/s each" : "";
        log.WriteLine($"  {name}: {spec.Publishers} x {perPublisher:#,0} messages{rateText}, expecting {expected:#,0} deliveries");
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var pauseBefore = GC.GetTotalPauseDuration();
        var cpuBefore = CpuSample.Take(endpoints.BrokerPids);
        var loops = _publishers
            .Select(p => ratePerPublisher > 0 ? p.RunPacedAsync(phase, perPublisher, ratePerPublisher) : p.RunMaxRateAsync(phase, perPublisher))
            .ToArray();
        await WatchAsync(phase, loops, expected);
        var cpu = CpuSample.Take(endpoints.BrokerPids).Since(cpuBefore);
        var result = Collect(phase, name, perPublisher, ratePerPublisher, expected) with
        {
            Cpu = endpoints.BrokerPids.Count > 0 ? cpu : null,
            LoadGenAllocatedBytes = GC.GetTotalAllocatedBytes() - allocatedBefore,
            LoadGenGcPauseMs = (GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds,
        };
        if (result.SubscribersWithNothing > 0)
        {
            log.WriteLine($"    {result.SubscribersWithNothing} of {_subscribers.Count} subscribers received nothing in this phase");
        }

        log.WriteLine(
            $"    {result.Received:#,0}/{result.Expected:#,0} ({result.DeliveredPercent:0.##} %) in {result.Seconds:0.00} s = " +
            $"{result.DeliveredPerSecond:#,0} msg/s; p50 {result.P50Ms:0.###} ms, p99 {result.P99Ms:0.###} ms, max {result.MaxMs:0.###} ms " +
            $"(load generator: {result.LoadGenAllocatedBytes / 1024:#,0} KiB allocated, GC pauses {result.LoadGenGcPauseMs:0.#} ms)");
        if (result.BrokerMicrosecondsPerMessage is { } brokerCpu)
        {
            log.WriteLine(
                $"    CPU per delivered message: broker {brokerCpu:0.00} µs, load generator {result.LoadGenMicrosecondsPerMessage:0.00} µs " +
                $"(other processes {cpu.OtherPercentOfMachine:0} % of the machine)");
        }
        return result;
    }

    /// <summary>
    /// Returns when every expected message arrived, or when publishers are done and nothing arrived for the
    /// quiet timeout. Throws (and so fails the scenario) when a connection fails, when publishing makes no
    /// progress for the stall timeout, or after the phase timeout.
    /// </summary>
    private async Task WatchAsync(byte phase, Task[] loops, long expected)
    {
        var started = Stopwatch.StartNew();
        var lastProgress = -1L;
        var sinceProgress = Stopwatch.StartNew();
        while (true)
        {
            await Task.Delay(s_poll);
            for (var i = 0; i < loops.Length; i++)
            {
                if (loops[i].IsFaulted)
                {
                    throw new ScenarioFailedException($"publisher {i}: {loops[i].Exception!.GetBaseException().Message}");
                }
            }

            for (var i = 0; i < _subscribers.Count; i++)
            {
                if (_subscribers[i].Ended)
                {
                    throw new ScenarioFailedException($"subscriber {i}: {_subscribers[i].Error?.Message ?? "connection ended"}");
                }
            }

            var received = _subscribers.Sum(s => s.Phase(phase).Received);
            var progress = received + _publishers.Sum(p => p.Sent + p.Acked);
            if (progress != lastProgress)
            {
                lastProgress = progress;
                sinceProgress.Restart();
            }

            var published = Array.TrueForAll(loops, l => l.IsCompletedSuccessfully);
            if (published && received >= expected)
            {
                return;
            }

            if (published && sinceProgress.Elapsed > parameters.QuietTimeout)
            {
                return; // Whatever did not arrive by now counts as not delivered.
            }

            if (!published && sinceProgress.Elapsed > parameters.StallTimeout)
            {
                throw new ScenarioFailedException(
                    $"no progress for {parameters.StallTimeout.TotalSeconds:0} s (sent {_publishers.Sum(p => p.Sent):#,0}, " +
                    $"acked {_publishers.Sum(p => p.Acked):#,0}, received {received:#,0}): the broker stopped answering");
            }

            if (started.Elapsed > parameters.PhaseTimeout)
            {
                throw new ScenarioFailedException($"phase still running after {parameters.PhaseTimeout.TotalSeconds:0} s");
            }
        }
    }

    private PhaseResult Collect(byte phase, string name, long perPublisher, double ratePerPublisher, long expected)
    {
        var latency = new LatencyHistogram();
        long received = 0, lastReceive = 0, foreign = 0;
        var starved = 0;
        foreach (var subscriber in _subscribers)
        {
            var counters = subscriber.Phase(phase);
            starved += counters.Received == 0 ? 1 : 0;
            latency.Add(counters.Latency);
            received += counters.Received;
            lastReceive = Math.Max(lastReceive, counters.LastReceive);
            foreign += subscriber.Foreign;
        }

        var firstSend = _publishers.Min(p => p.FirstSend);
        var lastSend = _publishers.Max(p => p.LastSend);
        return new PhaseResult
        {
            Phase = name,
            MessagesPerPublisher = perPublisher,
            TargetRatePerPublisher = ratePerPublisher,
            Sent = _publishers.Sum(p => p.Sent),
            Expected = expected,
            Received = received,
            Seconds = received > 0 ? Clock.ToSeconds(lastReceive - firstSend) : 0,
            PublishSeconds = Clock.ToSeconds(lastSend - firstSend),
            P50Ms = ToMs(latency.ValueAtPercentile(50)),
            P90Ms = ToMs(latency.ValueAtPercentile(90)),
            P99Ms = ToMs(latency.ValueAtPercentile(99)),
            P999Ms = ToMs(latency.ValueAtPercentile(99.9)),
            MaxMs = ToMs(latency.Max),
            Foreign = foreign,
            Rejected = _publishers.Sum(p => p.Rejected),
            SubscribersWithNothing = starved,
        };
    }

    private static double ToMs(long nanoseconds) => nanoseconds / 1e6;
}
