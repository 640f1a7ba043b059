using System.Globalization;

namespace Bifro.Bench.Runner;

/// <summary>
/// The mosquitto.conf the runner writes. Every line departs from a 2.0 default only where the default would
/// measure something other than the broker's speed; bench/README.md gives the reasons in full.
/// </summary>
internal static class MosquittoConfig
{
    /// <summary>Per-client queue above the 20 in flight (default here 1,000,000; Mosquitto's own default is 1,000).</summary>
    public const int DefaultMaxQueuedMessages = 1_000_000;

    public static string Render(int port, int maxQueuedMessages) => string.Create(CultureInfo.InvariantCulture, $"""
        # Written by bifro-bench compare; see bench/README.md.
        listener {port} 127.0.0.1
        allow_anonymous true
        persistence false
        # Mosquitto leaves Nagle on by default; every other broker measured here (and the load generator)
        # sets TCP_NODELAY, and Nagle plus delayed ACK adds up to 40 ms to paced-phase latency.
        set_tcp_nodelay true
        # Default 1000: with QoS 1 publishers acked on receipt, a subscriber briefly behind loses messages
        # the broker had accepted. This bounds the queue high enough that nothing is dropped in these runs
        # while still being a bound (0 would be unlimited). It also caps QoS 0 packets waiting per client.
        max_queued_messages {maxQueuedMessages}
        # max_inflight_messages stays 20 (default): the broker's window towards each subscriber.
        log_dest stderr
        log_type error
        log_type warning
        log_type notice
        connection_messages false
        """);

    /// <summary>First line of <c>mosquitto -h</c>, e.g. "mosquitto version 2.0.11".</summary>
    public static string Version(string mosquittoPath)
    {
        try
        {
            var start = new System.Diagnostics.ProcessStartInfo(mosquittoPath, "-h") { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = System.Diagnostics.Process.Start(start)!;
            var first = process.StandardOutput.ReadLine() ?? "";
            process.WaitForExit(5000);
            return first.Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "not found";
        }
    }
}
