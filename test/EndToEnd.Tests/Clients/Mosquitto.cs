using System.Globalization;
using System.Text.RegularExpressions;
using Bifro.TestKit;

namespace Bifro.EndToEnd.Tests.Clients;

/// <summary>mosquitto_pub and mosquitto_sub (Debian's mosquitto-clients), run against a broker under test.</summary>
internal static partial class Mosquitto
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Ctrl+C for a mosquitto client, once it waits in poll. Its SIGINT handler disconnects from inside the
    /// handler, taking libmosquitto's locks, so a signal that lands while the client still handles a packet
    /// (just after it printed "received SUBACK") deadlocks it: 42 times in 300 against Mosquitto itself, and
    /// never once the client was seen waiting first.
    /// </summary>
    public static async Task InterruptAsync(RunningProcess client)
    {
        await Eventually.TrueAsync(() => client.IsWaitingForInput, DefaultTimeout, "the mosquitto client to wait for input").ConfigureAwait(false);
        client.Interrupt();
    }

    /// <summary>"31", "311" or "5": the -V values of the mosquitto clients.</summary>
    public static string[] Version(string version) => ["-V", version switch
    {
        "31" => "mqttv31",
        "311" => "mqttv311",
        "5" => "mqttv5",
        _ => throw new ArgumentOutOfRangeException(nameof(version), version, "31, 311 or 5"),
    }];

    public static Task<ProcessResult> PublishAsync(BrokerProcess broker, string version, params string[] arguments) =>
        ExternalProcess.RunAsync("mosquitto_pub", [.. Common(broker, version), .. arguments], DefaultTimeout);

    /// <summary>Publishes each line as a message, in order, on one connection (mosquitto_pub -l).</summary>
    public static Task<ProcessResult> PublishLinesAsync(BrokerProcess broker, string version, IEnumerable<string> lines, params string[] arguments) =>
        ExternalProcess.RunAsync("mosquitto_pub", [.. Common(broker, version), "-l", .. arguments], DefaultTimeout, string.Join("\n", lines) + "\n");

    /// <summary>Runs mosquitto_sub to completion (give it -C count and/or -W seconds).</summary>
    public static Task<ProcessResult> SubscribeAsync(BrokerProcess broker, string version, params string[] arguments) =>
        ExternalProcess.RunAsync("mosquitto_sub", [.. Common(broker, version), .. arguments], DefaultTimeout);

    /// <summary>
    /// Starts mosquitto_sub in the background with -d, and waits until it has its SUBACK, so that what is
    /// published next is certain to be matched.
    /// </summary>
    public static async Task<RunningProcess> StartSubscriberAsync(BrokerProcess broker, string version, params string[] arguments)
    {
        // stdbuf: mosquitto_sub's stdout is block-buffered into a pipe, which would hide the SUBACK line.
        var process = ExternalProcess.StartBackground("stdbuf", ["-oL", "mosquitto_sub", .. Common(broker, version), "-d", .. arguments]);
        try
        {
            await process.WaitForLineAsync("received SUBACK", DefaultTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var output = process.Output;
            await process.DisposeAsync().ConfigureAwait(false);
            throw new TimeoutException("mosquitto_sub got no SUBACK.\n" + output + "\n--- broker\n" + broker.Output);
        }

        return process;
    }

    /// <summary>The application messages mosquitto_sub -d -v printed ("topic payload" lines), without its debug lines.</summary>
    public static IReadOnlyList<string> Messages(RunningProcess subscriber) =>
        subscriber.Lines.Where(line => !line.StartsWith("Client ", StringComparison.Ordinal)).ToList();

    /// <summary>The "topic payload" lines (mosquitto_sub -v) whose topic starts with <paramref name="topicPrefix"/>, in order.</summary>
    public static IReadOnlyList<string> Messages(RunningProcess subscriber, string topicPrefix) => Messages(subscriber.Output, topicPrefix);

    /// <inheritdoc cref="Messages(RunningProcess, string)"/>
    public static IReadOnlyList<string> Messages(string output, string topicPrefix) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith(topicPrefix, StringComparison.Ordinal))
            .ToList();

    /// <summary>The PUBLISH packets mosquitto_sub -d reported receiving, with their flags, in order.</summary>
    public static IReadOnlyList<ReceivedPublish> ReceivedPublishes(string output) =>
        ReceivedPublishPattern().Matches(output)
            .Select(m => new ReceivedPublish(m.Groups[1].Value == "1", int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), m.Groups[3].Value == "1", m.Groups[4].Value))
            .ToList();

    [GeneratedRegex(@"received PUBLISH \(d(\d), q(\d), r(\d), m\d+, '([^']*)'")]
    private static partial Regex ReceivedPublishPattern();

    /// <summary>mosquitto_pub to another of the broker's listeners (TLS ones take --cafile, --cert, --key in <paramref name="arguments"/>).</summary>
    public static Task<ProcessResult> PublishToAsync(BrokerProcess broker, int port, string version, params string[] arguments) =>
        ExternalProcess.RunAsync("mosquitto_pub", [.. Common(broker.Host, port, version), .. arguments], DefaultTimeout);

    /// <summary><see cref="StartSubscriberAsync(BrokerProcess, string, string[])"/> on another of the broker's listeners.</summary>
    public static async Task<RunningProcess> StartSubscriberOnAsync(BrokerProcess broker, int port, string version, params string[] arguments)
    {
        var process = ExternalProcess.StartBackground("stdbuf", ["-oL", "mosquitto_sub", .. Common(broker.Host, port, version), "-d", .. arguments]);
        try
        {
            await process.WaitForLineAsync("received SUBACK", DefaultTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var output = process.Output;
            await process.DisposeAsync().ConfigureAwait(false);
            throw new TimeoutException("mosquitto_sub got no SUBACK.\n" + output + "\n--- broker\n" + broker.Output);
        }

        return process;
    }

    private static string[] Common(BrokerProcess broker, string version) => Common(broker.Host, broker.Port, version);

    private static string[] Common(string host, int port, string version) =>
        ["-h", host, "-p", port.ToString(CultureInfo.InvariantCulture), .. Version(version)];
}
