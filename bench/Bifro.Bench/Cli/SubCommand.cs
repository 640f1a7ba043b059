using System.CommandLine;
using System.Diagnostics;
using Bifro.Bench.Load;
using Bifro.Bench.Mqtt;

namespace Bifro.Bench.Cli;

/// <summary><c>bifro-bench sub</c>: subscribers that count and time what <c>pub</c> sends.</summary>
internal static class SubCommand
{
    private const byte PubPhase = 1; // the phase `pub` stamps

    public static Command Create()
    {
        var endpoint = new EndpointOptions();
        var topic = new Option<string>("--topic") { Description = "Topic filter to subscribe to", DefaultValueFactory = _ => "bifro-bench/test" };
        var qos = new Option<int>("--qos") { Description = "0 or 1", DefaultValueFactory = _ => 0 };
        var clients = new Option<int>("--clients") { Description = "Subscriber connections", DefaultValueFactory = _ => 1 };
        var expect = new Option<long>("--expect") { Description = "Stop when each subscriber has this many; 0 waits for the quiet timeout", DefaultValueFactory = _ => 0 };
        var quiet = new Option<double>("--quiet-timeout") { Description = "Stop after this many seconds without a message, once some arrived", DefaultValueFactory = _ => 3 };
        var timeout = new Option<double>("--timeout") { Description = "Give up after this many seconds", DefaultValueFactory = _ => 300 };

        var command = new Command("sub", "Subscribe to a running broker; report messages, rate and latency of what `pub` sends");
        endpoint.AddTo(command);
        foreach (var option in new Option[] { topic, qos, clients, expect, quiet, timeout })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = endpoint.Settings(parse);
            var subscribers = new List<Subscriber>();
            var loops = new List<Task>();
            var count = Math.Max(1, parse.GetValue(clients));
            var dedicated = Subscriber.UseDedicatedThreads(count);
            for (var i = 0; i < count; i++)
            {
                var id = $"bifro-bench-sub-{Environment.ProcessId}-{i}";
                MqttConnection connection;
                if (dedicated)
                {
                    connection = MqttConnection.OpenBlocking(settings, id, 16 * 1024, 64 * 1024);
                    connection.Subscribe(parse.GetValue(topic)!, parse.GetValue(qos));
                }
                else
                {
                    connection = await MqttConnection.OpenAsync(settings, id, 16 * 1024, 64 * 1024, cancellationToken: cancellationToken);
                    await connection.SubscribeAsync(parse.GetValue(topic)!, parse.GetValue(qos), settings.HandshakeTimeout);
                }

                var subscriber = new Subscriber(connection, phaseCount: PubPhase + 1);
                subscribers.Add(subscriber);
                loops.Add(subscriber.RunAsync(dedicated));
            }

            Console.WriteLine($"{subscribers.Count} subscribed to {parse.GetValue(topic)}; waiting");
            var ok = await WaitAsync(subscribers, parse.GetValue(expect), TimeSpan.FromSeconds(parse.GetValue(quiet)), TimeSpan.FromSeconds(parse.GetValue(timeout)));
            Report(subscribers);
            await Task.WhenAll(subscribers.Select((s, i) => s.StopAsync(loops[i], TimeSpan.FromSeconds(2))));
            return ok ? 0 : 1;
        });
        return command;
    }

    private static async Task<bool> WaitAsync(List<Subscriber> subscribers, long expect, TimeSpan quiet, TimeSpan timeout)
    {
        var total = Stopwatch.StartNew();
        var sinceChange = Stopwatch.StartNew();
        long last = 0;
        while (total.Elapsed < timeout)
        {
            await Task.Delay(100);
            if (subscribers.Find(s => s.Ended) is { } ended)
            {
                Console.Error.WriteLine($"a subscriber stopped: {ended.Error?.Message}");
                return false;
            }

            var received = subscribers.Sum(s => s.Phase(PubPhase).Received + s.Foreign);
            if (received != last)
            {
                last = received;
                sinceChange.Restart();
            }

            if (expect > 0 && subscribers.TrueForAll(s => s.Phase(PubPhase).Received >= expect))
            {
                return true;
            }

            if (received > 0 && sinceChange.Elapsed > quiet)
            {
                return expect == 0;
            }
        }

        Console.Error.WriteLine($"timed out after {timeout.TotalSeconds:0} s");
        return false;
    }

    private static void Report(List<Subscriber> subscribers)
    {
        var latency = new LatencyHistogram();
        long received = 0, first = long.MaxValue, last = 0;
        foreach (var counters in subscribers.Select(s => s.Phase(PubPhase)))
        {
            latency.Add(counters.Latency);
            received += counters.Received;
            if (counters.Received > 0)
            {
                first = Math.Min(first, counters.FirstReceive);
                last = Math.Max(last, counters.LastReceive);
            }
        }

        var seconds = received > 1 ? Clock.ToSeconds(last - first) : 0;
        Console.WriteLine(
            $"received {received:#,0} (+{subscribers.Sum(s => s.Foreign):#,0} not from bifro-bench pub) in {seconds:0.00} s = " +
            $"{(seconds > 0 ? received / seconds : 0):#,0} msg/s; latency p50 {latency.ValueAtPercentile(50) / 1e6:0.###} ms, " +
            $"p99 {latency.ValueAtPercentile(99) / 1e6:0.###} ms, max {latency.Max / 1e6:0.###} ms");
    }
}
