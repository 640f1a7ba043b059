using System.Globalization;

namespace Bifro.Bench.Runner;

/// <summary>
/// The mosquitto.conf the runner writes. Every line departs from a 2.0 default only where the default would
/// measure something other than the broker's speed; bench/README.md gives the reasons in full.
/// </summary>
internal static class MosquittoConfig
{
    /// <summary>
    /// max_queued_messages: 0, no limit (Mosquitto's own default is 1,000). Mosquitto 2.0 counts against this
    /// limit not only messages waiting for a subscriber but every QoS 1 message it has sent whose PUBACK it
    /// has not yet read, and in a fan-in it reads those acks far slower than the publishes (one packet per
    /// socket per pass of its event loop), so the count grows with the length of the run, not with any
    /// backlog. Any finite limit is then a limit on the run length: 1,000,000 dropped up to 22 % of qos1-fanin's
    /// phase A while the subscriber kept up. See bench/README.md, "Mosquitto settings".
    /// </summary>
    public const int DefaultMaxQueuedMessages = 0;

    /// <summary>What Mosquitto logs when it starts dropping a client's messages (once per episode).</summary>
    public const string DropNotice = "Outgoing messages are being dropped";

    /// <param name="secure">Null: plain TCP and anonymous clients. Else a TLS listener with the run's certificate,
    /// and its password and ACL files: no anonymous clients, every CONNECT checked against the password file,
    /// every publish and every delivery against the ACL.</param>
    public static string Render(int port, int maxQueuedMessages, TlsAuthSetup? secure = null)
    {
        var listener = secure is null
            ? string.Create(CultureInfo.InvariantCulture, $"""
                listener {port} 127.0.0.1
                allow_anonymous true
                """)
            : string.Create(CultureInfo.InvariantCulture, $"""
                # TLS+auth: the same certificate and key as Bifro's TLS listener; TLS version and ciphers are
                # Mosquitto's defaults (OpenSSL's choice, TLS 1.3 with the load generator).
                listener {port} 127.0.0.1
                certfile {secure.ServerCertificate}
                keyfile {secure.ServerKey}
                allow_anonymous false
                password_file {secure.MosquittoPasswordFile}
                acl_file {secure.MosquittoAclFile}
                """);
        return string.Create(CultureInfo.InvariantCulture, $"""
            # Written by bifro-bench compare; see bench/README.md.
            {listener}
            persistence false
            # Mosquitto leaves Nagle on by default; every other broker measured here (and the load generator)
            # sets TCP_NODELAY, and Nagle plus delayed ACK adds up to 40 ms to paced-phase latency.
            set_tcp_nodelay true
            # Default 1000. Mosquitto acks a QoS 1 PUBLISH on receipt, and counts against this limit every QoS 1
            # message it sent to a subscriber until it has read that subscriber's PUBACK. It reads one packet per
            # socket per pass of its event loop, so in a fan-in (10 publishers, 1 subscriber) it reads about one
            # ack per ten publishes and the count grows with the run even when the subscriber keeps up; past
            # the limit it drops new messages it has already acked. 0 = no limit (see bench/README.md).
            max_queued_messages {maxQueuedMessages}
            # max_inflight_messages stays 20 (default): the broker's window towards each subscriber.
            log_dest stderr
            log_type error
            log_type warning
            log_type notice
            connection_messages false
            """);
    }

    /// <summary>Lines with <see cref="DropNotice"/> in <paramref name="logPath"/> after byte <paramref name="offset"/>.</summary>
    public static int CountDropNotices(string logPath, long offset)
    {
        try
        {
            using var stream = new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            var count = 0;
            while (reader.ReadLine() is { } line)
            {
                if (line.Contains(DropNotice, StringComparison.Ordinal))
                {
                    count++;
                }
            }

            return count;
        }
        catch (IOException)
        {
            return 0;
        }
    }

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
