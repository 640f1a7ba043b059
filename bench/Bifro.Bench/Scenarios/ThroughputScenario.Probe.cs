using System.Diagnostics;

namespace Bifro.Bench.Scenarios;

/// <summary>Before the warm-up: does every subscription reach the node the publishers are on?</summary>
internal sealed partial class ThroughputScenario
{
    private static readonly TimeSpan s_probeWait = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Every publisher sends one message (probe phase, not reported) until every subscriber has received one.
    /// On one broker the first round does it. Across nodes, a SUBACK from the subscribers' node does not mean
    /// the publishers' node knows the route yet (its route replica learns of changes asynchronously); without
    /// this the first warm-up messages would go nowhere and the warm-up would end on the quiet timeout with
    /// messages missing. Fails the scenario after the stall timeout.
    /// </summary>
    private async Task ProbeRoutesAsync()
    {
        var waited = Stopwatch.StartNew();
        for (var round = 1; ; round++)
        {
            await Task.WhenAll(_publishers.Select(p => p.RunMaxRateAsync(ProbePhase, 1)));
            var roundEnd = waited.Elapsed + s_probeWait;
            while (!AllProbed() && waited.Elapsed < roundEnd)
            {
                await Task.Delay(5);
            }

            if (AllProbed())
            {
                if (endpoints.CrossNode || round > 1)
                {
                    log.WriteLine($"  probe: every subscription reached the publishers' node after {waited.Elapsed.TotalMilliseconds:0} ms ({round} round(s))");
                }

                return;
            }

            var ended = _subscribers.FindIndex(s => s.Ended);
            if (ended >= 0)
            {
                throw new ScenarioFailedException($"subscriber {ended}: {_subscribers[ended].Error?.Message ?? "connection ended"} (during the probe)");
            }

            if (waited.Elapsed > parameters.StallTimeout)
            {
                var missing = _subscribers.Count(s => s.Phase(ProbePhase).Received == 0);
                throw new ScenarioFailedException(
                    $"probe: after {waited.Elapsed.TotalSeconds:0} s, {missing} of {_subscribers.Count} subscribers had received none of " +
                    "the messages published for them: their subscriptions did not reach the publishers' node");
            }
        }
    }

    private bool AllProbed() => _subscribers.TrueForAll(s => s.Phase(ProbePhase).Received > 0);
}
