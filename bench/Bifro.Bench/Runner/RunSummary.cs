using Bifro.Bench.Scenarios;

namespace Bifro.Bench.Runner;

/// <summary>
/// Turns every round's <see cref="ScenarioResult"/> (broker → results, all scenarios and rounds) into one
/// <see cref="Spread"/> per broker, scenario and metric: what the table shows and the JSON summary keeps.
/// </summary>
internal static class RunSummary
{
    /// <summary>broker → scenario → metric key → spread; null where no round produced the metric.</summary>
    public static Dictionary<string, Dictionary<string, Dictionary<string, Spread?>>> Build(
        IReadOnlyDictionary<string, IReadOnlyList<ScenarioResult>> results, IReadOnlyList<string> scenarios, RunParameters parameters)
    {
        var summary = new Dictionary<string, Dictionary<string, Dictionary<string, Spread?>>>();
        foreach (var broker in results.Keys)
        {
            var byScenario = new Dictionary<string, Dictionary<string, Spread?>>();
            foreach (var scenario in scenarios)
            {
                var metrics = new Dictionary<string, Spread?>();
                foreach (var metric in Metric.For(scenario, parameters))
                {
                    metrics[metric.Key] = Of(results, broker, scenario, metric);
                }

                byScenario[scenario] = metrics;
            }

            summary[broker] = byScenario;
        }

        return summary;
    }

    /// <summary>The rounds of <paramref name="scenario"/> on <paramref name="broker"/>, in round order; empty if it did not run.</summary>
    public static IReadOnlyList<ScenarioResult> Rounds(
        IReadOnlyDictionary<string, IReadOnlyList<ScenarioResult>> results, string broker, string scenario) =>
        results.TryGetValue(broker, out var list) ? [.. list.Where(r => r.Scenario == scenario).OrderBy(r => r.Round)] : [];

    public static Spread? Of(
        IReadOnlyDictionary<string, IReadOnlyList<ScenarioResult>> results, string broker, string scenario, Metric metric) =>
        Spread.Of([.. Rounds(results, broker, scenario).Select(metric.Value)]);
}
