using System.Globalization;
using System.Text;
using Bifro.Bench.Scenarios;

namespace Bifro.Bench.Runner;

/// <summary>Renders the side-by-side markdown table: scenario | metric | Bifro | Mosquitto | ratio.</summary>
internal static class ReportWriter
{
    public const string Bifro = "Bifro";
    public const string Mosquitto = "Mosquitto";

    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

    private static readonly Metric s_brokerCpu = new("broker CPU s, whole scenario", r => r.Cpu?.BrokerSeconds, v => v.ToString("0.0", s_invariant));

    private sealed record Metric(string Name, Func<ScenarioResult, double?> Value, Func<double, string> Format);

    public static string Render(
        MachineInfo machine, RunParameters parameters, IReadOnlyList<string> scenarios,
        IReadOnlyDictionary<string, IReadOnlyList<ScenarioResult>> results, IReadOnlyList<string> notes)
    {
        var md = new StringBuilder();
        md.AppendLine(s_invariant, $"Machine: {machine.Cores} cores ({machine.Cpu}), {machine.Memory}, {machine.Os}, kernel {machine.Kernel}");
        md.AppendLine(s_invariant, $"Date: {machine.DateUtc}; load generator on {machine.Runtime}; {machine.Mosquitto}; checkout {machine.Commit}");
        md.AppendLine();
        md.AppendLine("| scenario | metric | Bifro | Mosquitto | ratio Bifro/Mosquitto |");
        md.AppendLine("|---|---|---:|---:|---:|");
        foreach (var scenario in scenarios)
        {
            foreach (var metric in MetricsFor(scenario, parameters))
            {
                var bifro = Cell(results, Bifro, scenario, metric, out var b);
                var mosquitto = Cell(results, Mosquitto, scenario, metric, out var m);
                var ratio = b is { } x && m is { } y && y != 0 ? (x / y).ToString("0.00", s_invariant) : "–";
                md.AppendLine(s_invariant, $"| {scenario} | {metric.Name} | {bifro} | {mosquitto} | {ratio} |");
            }
        }

        md.AppendLine();
        foreach (var (broker, list) in results)
        {
            foreach (var failed in list.Where(r => r.Error is not null))
            {
                md.AppendLine(s_invariant, $"- **{broker} {failed.Scenario} failed**: {failed.Error}");
            }
        }

        foreach (var (broker, list) in results)
        {
            var busiest = list.Where(r => r.Cpu is not null).OrderByDescending(r => r.Cpu!.OtherPercentOfMachine).FirstOrDefault();
            if (busiest?.Cpu is { } cpu)
            {
                var warning = cpu.OtherPercentOfMachine > 5 ? " **The machine was not quiet: treat these numbers as noisy.**" : "";
                md.AppendLine(s_invariant, $"- Other processes used up to {cpu.OtherPercentOfMachine:0} % of the machine during a {broker} scenario ({busiest.Scenario}).{warning}");
            }
        }

        md.AppendLine(s_invariant, $"- A = max rate, fixed count per publisher; B = paced at {parameters.PacedRate:#,0} deliveries/s for {parameters.PacedSeconds:0.#} s; payload {parameters.PayloadSize} B, QoS 1 window {parameters.Window}, scale {parameters.Scale:0.##}.");
        md.AppendLine("- msg/s and % delivered: higher is better; latency and KiB: lower is better. The ratio is Bifro/Mosquitto either way.");
        foreach (var note in notes)
        {
            md.AppendLine(s_invariant, $"- {note}");
        }

        return md.ToString();
    }

    private static IEnumerable<Metric> MetricsFor(string scenario, RunParameters parameters)
    {
        if (scenario == ScenarioCatalog.IdleMemory)
        {
            yield return new Metric($"KiB per idle connection ({parameters.IdleConnections:#,0})", r => r.IdleMemory?.KiBPerConnection, v => v.ToString("0.00", s_invariant));
            yield return new Metric("idle connects/s", r => r.IdleMemory?.ConnectsPerSecond, v => v.ToString("#,0", s_invariant));
            yield return s_brokerCpu;
            yield break;
        }

        var rate = parameters.PacedRate.ToString("#,0", s_invariant);
        yield return new Metric("A delivered msg/s", r => r.MaxRate?.DeliveredPerSecond, v => v.ToString("#,0", s_invariant));
        yield return new Metric("A % delivered", r => r.MaxRate?.DeliveredPercent, Percent);
        yield return new Metric("A p50 latency ms", r => r.MaxRate?.P50Ms, Milliseconds);
        yield return new Metric("A p99 latency ms", r => r.MaxRate?.P99Ms, Milliseconds);
        yield return new Metric($"B p50 latency ms @ {rate}/s", r => r.Paced?.P50Ms, Milliseconds);
        yield return new Metric($"B p99 latency ms @ {rate}/s", r => r.Paced?.P99Ms, Milliseconds);
        yield return new Metric("B % delivered", r => r.Paced?.DeliveredPercent, Percent);
        yield return s_brokerCpu;
    }

    private static string Cell(
        IReadOnlyDictionary<string, IReadOnlyList<ScenarioResult>> results, string broker, string scenario, Metric metric, out double? value)
    {
        value = null;
        if (!results.TryGetValue(broker, out var list))
        {
            return "–"; // not run (--only)
        }

        var result = list.FirstOrDefault(r => r.Scenario == scenario);
        if (result is null)
        {
            return "–";
        }

        value = metric.Value(result);
        if (value is null)
        {
            return "failed";
        }

        return result.Error is null ? metric.Format(value.Value) : metric.Format(value.Value) + " (failed later)";
    }

    // Rounded down, so that a phase that lost even one message never shows as 100.
    private static string Percent(double value) => value >= 100 ? "100" : (Math.Floor(value * 100) / 100).ToString("0.00", s_invariant);

    private static string Milliseconds(double value) => value.ToString(value < 10 ? "0.000" : value < 100 ? "0.0" : "0", s_invariant);
}
