using System.CommandLine;
using System.Diagnostics;
using Bifro.Bench.Load;
using Bifro.Bench.Mqtt;

namespace Bifro.Bench.Cli;

/// <summary><c>bifro-bench pub</c>: publishers on one topic, at max rate or paced; pairs with <c>sub</c>.</summary>
internal static class PubCommand
{
    public static Command Create()
    {
        var endpoint = new EndpointOptions();
        var topic = new Option<string>("--topic") { Description = "Topic to publish to", DefaultValueFactory = _ => "bifro-bench/test" };
        var qos = new Option<int>("--qos") { Description = "0 or 1", DefaultValueFactory = _ => 0 };
        var clients = new Option<int>("--clients") { Description = "Publisher connections", DefaultValueFactory = _ => 1 };
        var count = new Option<long>("--count") { Description = "Messages per publisher", DefaultValueFactory = _ => 100_000 };
        var rate = new Option<double>("--rate") { Description = "Total messages per second over all publishers; 0 is as fast as possible", DefaultValueFactory = _ => 0 };
        var size = new Option<int>("--size") { Description = "Payload bytes (at least 24)", DefaultValueFactory = _ => 64 };
        var window = new Option<int>("--window") { Description = "Unacknowledged QoS 1 publishes per publisher", DefaultValueFactory = _ => 100 };
        var timeout = new Option<double>("--timeout") { Description = "Give up after this many seconds", DefaultValueFactory = _ => 300 };

        var command = new Command("pub", "Publish stamped messages to a running broker (a sub process on the same machine measures latency)");
        endpoint.AddTo(command);
        foreach (var option in new Option[] { topic, qos, clients, count, rate, size, window, timeout })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = endpoint.Settings(parse);
            var n = Math.Max(1, parse.GetValue(clients));
            var publishers = new List<Publisher>();
            for (var i = 0; i < n; i++)
            {
                var connection = await MqttConnection.OpenAsync(settings, $"bifro-bench-pub-{Environment.ProcessId}-{i}", 32 * 1024, 16 * 1024, 64 * 1024, cancellationToken: cancellationToken);
                var template = new PublishTemplate(settings.Version, parse.GetValue(topic)!, parse.GetValue(qos), Math.Max(Payload.MinimumSize, parse.GetValue(size)));
                publishers.Add(new Publisher(connection, template, i, parse.GetValue(window)));
            }

            var perPublisher = parse.GetValue(count);
            var total = parse.GetValue(rate);
            var clock = Stopwatch.StartNew();
            var loops = publishers.Select(p => total > 0 ? p.RunPacedAsync(1, perPublisher, total / n) : p.RunMaxRateAsync(1, perPublisher));
            try
            {
                await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(parse.GetValue(timeout)), cancellationToken);
            }
            catch (Exception e)
            {
                publishers.ForEach(p => p.Abort());
                Console.Error.WriteLine($"pub failed after {clock.Elapsed.TotalSeconds:0.0} s: {e.Message}");
                return 1;
            }

            var seconds = clock.Elapsed.TotalSeconds;
            var sent = publishers.Sum(p => p.Sent);
            Console.WriteLine($"sent {sent:#,0} in {seconds:0.00} s = {sent / seconds:#,0} msg/s; acked {publishers.Sum(p => p.Acked):#,0}");
            await Task.WhenAll(publishers.Select(p => p.DisconnectAsync(TimeSpan.FromSeconds(2))));
            return 0;
        });
        return command;
    }
}
