using System.Globalization;
using Bifro.TestKit;

namespace Bifro.EndToEnd.Tests.Clients;

/// <summary>mosquitto_pub and mosquitto_sub (Debian's mosquitto-clients), run against a broker under test.</summary>
internal static class Mosquitto
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

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

    private static string[] Common(BrokerProcess broker, string version) =>
        ["-h", broker.Host, "-p", broker.Port.ToString(CultureInfo.InvariantCulture), .. Version(version)];
}
