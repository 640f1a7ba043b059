using System.Globalization;
using System.Text;
using Bifro.Bench.Scenarios;

namespace Bifro.Bench.Runner;

/// <summary>
/// Renders the side-by-side markdown table: scenario | metric | one column per target that ran (Bifro, Bifro
/// TLS+auth, Bifro cross-node, Mosquitto, Mosquitto TLS+auth) | Bifro/Mosquitto | the TLS+auth comparisons
/// (Bifro TLS+auth/plain, Mosquitto TLS+auth/plain, Bifro/Mosquitto over TLS+auth) | cross-node/single-node |
/// cross-node − single-node (latency rows).
/// With several rounds a cell is "median (min–max)" and a ratio is of the medians, marked with † where the ranges
/// overlap and with ‡ where either side lost messages in some round.
/// </summary>
internal static class ReportWriter
{
    public const string Bifro = "Bifro";
    public const string BifroTls = "Bifro TLS+auth";
    public const string CrossNode = "Bifro cross-node";
    public const string Mosquitto = "Mosquitto";
    public const string MosquittoTls = "Mosquitto TLS+auth";

    /// <summary>Marks a ratio whose two min–max ranges overlap.</summary>
    public const string OverlapMark = "†";

    /// <summary>Marks a ratio of rates where either side lost messages in at least one round.</summary>
    public const string LossMark = "‡";

    /// <summary>Above this share of the machine used by other processes, a run counts as disturbed.</summary>
    private const double QuietPercent = 5;

    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;
    private static readonly string[] s_columnOrder = [Bifro, BifroTls, CrossNode, Mosquitto, MosquittoTls];

    /// <summary>The ratio columns of the TLS+auth targets, each shown when both its targets ran.</summary>
    private static readonly (string First, string Second, string Header)[] s_tlsRatios =
    [
        (BifroTls, Bifro, "Bifro TLS+auth/plain"),
        (MosquittoTls, Mosquitto, "Mosquitto TLS+auth/plain"),
        (BifroTls, MosquittoTls, "TLS+auth Bifro/Mosquitto"),
    ];

    /// <param name="results">Every round of every scenario, by target (a target not run has no entry).</param>
    public static string Render(
        MachineInfo machine, RunParameters parameters, int repeat, IReadOnlyList<string> scenarios,
        IReadOnlyDictionary<string, IReadOnlyList<ScenarioResult>> results, IReadOnlyList<string> notes)
    {
        var md = new StringBuilder();
        md.AppendLine(s_invariant, $"Machine: {machine.Cores} cores ({machine.Cpu}), {machine.Memory}, {machine.Os}, kernel {machine.Kernel}");
        md.AppendLine(s_invariant, $"Date: {machine.DateUtc}; load generator on {machine.Runtime}; {machine.Mosquitto}; checkout {machine.Commit}");
        md.AppendLine();

        // Columns of targets that did not run are left out, except that the classic Bifro | Mosquitto pair
        // stays (a "–" says which one was not run).
        var columns = s_columnOrder.Where(t => results.ContainsKey(t) || t is Bifro or Mosquitto).ToArray();
        var vsMosquitto = results.ContainsKey(Bifro) || results.ContainsKey(Mosquitto);
        var tlsRatios = s_tlsRatios.Where(r => results.ContainsKey(r.First) && results.ContainsKey(r.Second)).ToArray();
        var vsSingle = results.ContainsKey(CrossNode) && results.ContainsKey(Bifro);
        var of = repeat > 1 ? $", median (min–max) of {repeat}" : "";
        var ratioOf = repeat > 1 ? "ratio of medians " : "ratio ";
        var header = new List<string> { "scenario", "metric" };
        header.AddRange(columns.Select(c => c + of));
        if (vsMosquitto)
        {
            header.Add($"{ratioOf}Bifro/Mosquitto");
        }

        header.AddRange(tlsRatios.Select(r => r.Header));

        if (vsSingle)
        {
            header.Add("cross/1-node");
            header.Add("Δ cross − 1-node");
        }

        md.AppendLine("| " + string.Join(" | ", header) + " |");
        md.AppendLine("|---|---|" + string.Concat(Enumerable.Repeat("---:|", header.Count - 2)));
        var marks = new HashSet<string>();
        foreach (var scenario in scenarios)
        {
            foreach (var metric in Metric.For(scenario, parameters).Where(m => m.InTable))
            {
                var row = new List<string> { scenario, metric.Name };
                var spreads = columns.ToDictionary(c => c, c => RunSummary.Of(results, c, scenario, metric));
                row.AddRange(columns.Select(c => Cell(results, c, scenario, metric, spreads[c], repeat)));
                if (vsMosquitto)
                {
                    row.Add(Ratio(results, scenario, metric, Bifro, Mosquitto, spreads[Bifro], spreads[Mosquitto], marks));
                }

                foreach (var (first, second, _) in tlsRatios)
                {
                    row.Add(Ratio(results, scenario, metric, first, second, spreads[first], spreads[second], marks));
                }

                if (vsSingle)
                {
                    row.Add(Ratio(results, scenario, metric, CrossNode, Bifro, spreads[CrossNode], spreads[Bifro], marks));
                    row.Add(metric.Latency ? Difference(spreads[CrossNode], spreads[Bifro], marks) : "");
                }

                md.AppendLine("| " + string.Join(" | ", row) + " |");
            }
        }

        md.AppendLine();
        foreach (var (broker, list) in results)
        {
            // One line per distinct reason: a broker that did not start would otherwise fill a line per run.
            foreach (var failed in list.Where(r => r.Error is not null).GroupBy(r => r.Error))
            {
                var where = string.Join(", ", failed.Select(r => repeat > 1 ? $"{r.Scenario} round {r.Round}" : r.Scenario));
                md.AppendLine(s_invariant, $"- **{broker} failed** ({where}): {failed.Key}");
            }
        }

        foreach (var (broker, list) in results)
        {
            AppendMachineNote(md, broker, list, repeat);
        }

        AppendRoundsNote(md, repeat);
        if (marks.Contains(LossMark))
        {
            md.AppendLine(s_invariant,
                $"- {LossMark}: a broker lost messages in at least one round of this row's scenario (its % delivered is below 100). Its msg/s counts " +
                $"only what arrived, so the ratio does not compare speeds: a broker that drops skips the work of delivering.");
        }

        AppendDropNotes(md, results);
        AppendSettleNote(md, parameters, results);
        md.AppendLine(s_invariant, $"- A = max rate, fixed count per publisher; B = paced at {parameters.PacedRate:#,0} deliveries/s for {parameters.PacedSeconds:0.#} s; payload {parameters.PayloadSize} B, QoS 1 window {parameters.Window}, scale {parameters.Scale:0.##}.");
        md.AppendLine("- msg/s and % delivered: higher is better; latency and KiB: lower is better. Ratios are the first named over the second either way.");
        foreach (var note in notes)
        {
            md.AppendLine(s_invariant, $"- {note}");
        }

        return md.ToString();
    }

    private static string Cell(
        IReadOnlyDictionary<string, IReadOnlyList<ScenarioResult>> results, string broker, string scenario, Metric metric, Spread? spread, int repeat)
    {
        if (!results.ContainsKey(broker) || RunSummary.Rounds(results, broker, scenario).Count == 0)
        {
            return "–"; // not run (--only)
        }

        if (spread is null)
        {
            return "failed";
        }

        var median = metric.Format(spread.Median);
        var details = new List<string>(2);
        var (min, max) = (metric.Format(spread.Min), metric.Format(spread.Max));
        if (min != max)
        {
            details.Add($"{min}–{max}");
        }

        if (spread.Count < repeat)
        {
            details.Add($"{spread.Count} of {repeat} rounds");
        }

        var lost = LostRounds(results, broker, scenario, metric);
        if (lost > 0)
        {
            details.Add(repeat == 1 ? "lost messages" : $"lost messages in {lost}");
        }

        // A round that measured this metric and failed in a later phase still counts; say so.
        var failedLater = RunSummary.Rounds(results, broker, scenario).Count(r => r.Error is not null && metric.Value(r) is not null);
        if (failedLater > 0)
        {
            details.Add(repeat == 1 ? "failed later" : $"{failedLater} failed later");
        }

        return details.Count == 0 ? median : $"{median} ({string.Join("; ", details)})";
    }

    private static string Ratio(
        IReadOnlyDictionary<string, IReadOnlyList<ScenarioResult>> results, string scenario, Metric metric,
        string first, string second, Spread? x, Spread? y, HashSet<string> marks)
    {
        if (x is null || y is null || y.Median == 0)
        {
            return "–";
        }

        var ratio = (x.Median / y.Median).ToString("0.00", s_invariant);
        if (x.Overlaps(y))
        {
            ratio += " " + OverlapMark;
            marks.Add(OverlapMark);
        }

        if (LostRounds(results, first, scenario, metric) + LostRounds(results, second, scenario, metric) > 0)
        {
            ratio += " " + LossMark;
            marks.Add(LossMark);
        }

        return ratio;
    }

    /// <summary>x − y in ms with its sign, marked † where the ranges overlap.</summary>
    private static string Difference(Spread? x, Spread? y, HashSet<string> marks)
    {
        if (x is null || y is null)
        {
            return "–";
        }

        var difference = x.Median - y.Median;
        var text = (difference < 0 ? "−" : "+") + Metric.Milliseconds(Math.Abs(difference));
        if (x.Overlaps(y))
        {
            text += " " + OverlapMark;
            marks.Add(OverlapMark);
        }

        return text;
    }

    private static int LostRounds(IReadOnlyDictionary<string, IReadOnlyList<ScenarioResult>> results, string broker, string scenario, Metric metric) =>
        metric.Lost is null ? 0 : RunSummary.Rounds(results, broker, scenario).Count(metric.Lost);

    /// <summary>Mosquitto's own word that it dropped messages, from mosquitto.log.</summary>
    private static void AppendDropNotes(StringBuilder md, IReadOnlyDictionary<string, IReadOnlyList<ScenarioResult>> results)
    {
        foreach (var target in new[] { Mosquitto, MosquittoTls })
        {
            if (!results.TryGetValue(target, out var list))
            {
                continue;
            }

            var dropping = list.Where(r => r.DropNotices > 0).ToArray();
            if (dropping.Length > 0)
            {
                md.AppendLine(s_invariant,
                    $"- {LogName(target)}.log says \"{MosquittoConfig.DropNotice}\" in {dropping.Length} run(s) ({string.Join(", ", dropping.Select(r => $"{r.Scenario} round {r.Round}"))}): " +
                    $"{target} dropped messages it had accepted; see bench/README.md, Mosquitto settings.");
            }
        }
    }

    /// <summary>The file name stem of a target's log, config and data directories: bifro, bifro-tls, mosquitto, mosquitto-tls.</summary>
    public static string LogName(string target) => target switch
    {
        BifroTls => "bifro-tls",
        MosquittoTls => "mosquitto-tls",
        CrossNode => "bifro-cross-node",
        _ => target.ToLowerInvariant(),
    };

    /// <summary>True for the Mosquitto targets, plain or TLS+auth.</summary>
    public static bool IsMosquitto(string target) => target is Mosquitto or MosquittoTls;

    /// <summary>True for the targets that run over TLS with authentication and authorization.</summary>
    public static bool IsTlsAuth(string target) => target is BifroTls or MosquittoTls;

    /// <summary>How much other processes ran during this broker's runs: the noise the medians have to absorb.</summary>
    private static void AppendMachineNote(StringBuilder md, string broker, IReadOnlyList<ScenarioResult> list, int repeat)
    {
        var measured = list.Where(r => r.Cpu is not null).ToArray();
        if (measured.Length == 0)
        {
            return;
        }

        var busiest = measured.MaxBy(r => r.Cpu!.OtherPercentOfMachine)!;
        var where = repeat > 1 ? $"{busiest.Scenario}, round {busiest.Round}" : busiest.Scenario;
        var disturbed = measured.Count(r => r.Cpu!.OtherPercentOfMachine > QuietPercent);
        if (disturbed == 0)
        {
            md.AppendLine(s_invariant, $"- Other processes used at most {busiest.Cpu!.OtherPercentOfMachine:0} % of the machine during any {broker} run ({where}).");
            return;
        }

        md.AppendLine(s_invariant,
            $"- Other processes used more than {QuietPercent:0} % of the machine in {disturbed} of {measured.Length} {broker} runs " +
            $"(up to {busiest.Cpu!.OtherPercentOfMachine:0} %: {where}). **The machine was not quiet: treat these numbers as noisy.**");
    }

    private static void AppendRoundsNote(StringBuilder md, int repeat)
    {
        if (repeat > 1)
        {
            md.AppendLine(s_invariant,
                $"- Each cell is the median of {repeat} rounds, with the lowest and highest round in brackets (left out when they are equal). " +
                $"Rounds alternate brokers (Bifro round 1, cross-node round 1, Mosquitto round 1, Bifro round 2, …), each on a fresh broker process (a fresh cluster for cross-node). " +
                $"A ratio is of the medians; {OverlapMark} marks a ratio or difference where the two ranges overlap: that difference is within the run-to-run variation measured here.");
            return;
        }

        md.AppendLine("- One round per scenario (`--repeat 1`): single runs on this machine vary a lot, B's p99 most; compare with several rounds.");
    }

    private static void AppendSettleNote(StringBuilder md, RunParameters parameters, IReadOnlyDictionary<string, IReadOnlyList<ScenarioResult>> results)
    {
        if (parameters.SettleSeconds <= 0)
        {
            md.AppendLine("- B started as soon as A ended (`--settle-seconds 0`): work the burst left behind (a background GC still running, queues shrinking) may be in B's latency.");
            return;
        }

        var cpu = results
            .Select(pair => (Broker: pair.Key, Spread: Spread.Of([.. pair.Value.Where(r => r.Settle is not null).Select(r => (double?)r.Settle!.BrokerSeconds)])))
            .Where(x => x.Spread is not null)
            .Select(x => $"{x.Broker} {x.Spread!.Median:0.00} s (up to {x.Spread.Max:0.00} s)")
            .ToArray();
        var during = cpu.Length > 0 ? $" Broker CPU during the pause, median over runs: {string.Join(", ", cpu)}." : "";
        md.AppendLine(s_invariant,
            $"- B started {parameters.SettleSeconds:0.#} s after A ended (settle pause, `--settle-seconds`), so that work the burst left behind " +
            $"(a background GC still running, queues shrinking) is not measured as paced latency.{during}");
    }
}
