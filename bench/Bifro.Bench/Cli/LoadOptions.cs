using System.CommandLine;
using Bifro.Bench.Mqtt;
using Bifro.Bench.Scenarios;

namespace Bifro.Bench.Cli;

/// <summary>Options shared by <c>compare</c> and <c>scenario</c>: how much load, and how to judge it.</summary>
internal sealed class LoadOptions
{
    private static readonly RunParameters s_defaults = new();

    public Option<string> Mqtt { get; } = MqttOption();

    public Option<double> Scale { get; } = new("--scale")
    {
        Description = "Multiply every scenario's phase A message count (e.g. 0.1 for a quick check)",
        DefaultValueFactory = _ => s_defaults.Scale,
    };

    public Option<long?> Messages { get; } = new("--messages") { Description = "Phase A messages per publisher, for every scenario (overrides --scale)" };

    public Option<double> Rate { get; } = new("--rate")
    {
        Description = "Phase B (paced) target in deliveries per second, summed over subscribers",
        DefaultValueFactory = _ => s_defaults.PacedRate,
    };

    public Option<double> PacedSeconds { get; } = new("--paced-seconds") { Description = "Phase B length in seconds", DefaultValueFactory = _ => s_defaults.PacedSeconds };

    public Option<double> Settle { get; } = new("--settle-seconds")
    {
        Description = "Idle pause between phase A and phase B, so work the burst left behind in the broker (a background GC) is not measured as paced latency",
        DefaultValueFactory = _ => s_defaults.SettleSeconds,
    };

    public Option<double> Warmup { get; } = new("--warmup")
    {
        Description = "Unreported warm-up before phase A, as a fraction of its count",
        DefaultValueFactory = _ => s_defaults.WarmupFraction,
    };

    public Option<double> QuietTimeout { get; } = new("--quiet-timeout")
    {
        Description = "Seconds without deliveries, after publishers finish, before a phase counts what arrived",
        DefaultValueFactory = _ => s_defaults.QuietTimeout.TotalSeconds,
    };

    public Option<double> StallTimeout { get; } = new("--stall-timeout")
    {
        Description = "Seconds without any progress while publishing before the scenario fails",
        DefaultValueFactory = _ => s_defaults.StallTimeout.TotalSeconds,
    };

    public Option<int> Size { get; } = new("--size") { Description = "Payload bytes (at least 24)", DefaultValueFactory = _ => s_defaults.PayloadSize };

    public Option<int> Window { get; } = new("--window") { Description = "Unacknowledged QoS 1 publishes per publisher", DefaultValueFactory = _ => s_defaults.Window };

    public Option<int> Connections { get; } = new("--connections") { Description = "Connections opened by idle-memory", DefaultValueFactory = _ => s_defaults.IdleConnections };

    public Option<double> IdleSeconds { get; } = new("--idle-seconds") { Description = "How long idle-memory connections sit before VmRSS is read", DefaultValueFactory = _ => s_defaults.IdleSeconds };

    public static Option<string> MqttOption()
    {
        var option = new Option<string>("--mqtt") { Description = "Protocol version", DefaultValueFactory = _ => "3.1.1" };
        option.AcceptOnlyFromAmong("3.1.1", "5");
        return option;
    }

    public static MqttVersion ParseVersion(string value) => value == "5" ? MqttVersion.V500 : MqttVersion.V311;

    public void AddTo(Command command)
    {
        Option[] all = [Mqtt, Scale, Messages, Rate, PacedSeconds, Settle, Warmup, QuietTimeout, StallTimeout, Size, Window, Connections, IdleSeconds];
        foreach (var option in all)
        {
            command.Options.Add(option);
        }
    }

    public MqttVersion Version(ParseResult result) => ParseVersion(result.GetValue(Mqtt)!);

    public RunParameters Parameters(ParseResult result)
    {
        var size = result.GetValue(Size);
        if (size < Load.Payload.MinimumSize)
        {
            throw new ArgumentException($"--size must be at least {Load.Payload.MinimumSize} bytes (timestamp, sequence, publisher, phase).");
        }

        return new RunParameters
        {
            Scale = result.GetValue(Scale),
            MessagesPerPublisher = result.GetValue(Messages),
            PacedRate = result.GetValue(Rate),
            PacedSeconds = result.GetValue(PacedSeconds),
            SettleSeconds = Math.Max(0, result.GetValue(Settle)),
            WarmupFraction = result.GetValue(Warmup),
            QuietTimeout = TimeSpan.FromSeconds(result.GetValue(QuietTimeout)),
            StallTimeout = TimeSpan.FromSeconds(result.GetValue(StallTimeout)),
            PayloadSize = size,
            Window = Math.Max(1, result.GetValue(Window)),
            IdleConnections = result.GetValue(Connections),
            IdleSeconds = result.GetValue(IdleSeconds),
        };
    }
}
