using Bifro.Runtime;

namespace Bifro.MqttEdge.Cluster;

/// <summary>
/// Grain calls that must ride out a silo failure. Until the cluster declares a crashed silo dead, calls
/// to its grains fail at once with <see cref="SiloUnavailableException"/>; once the view changes, the
/// same call activates the grain on another silo. Retrying with backoff within a budget turns that
/// window into latency instead of an error for the client.
/// </summary>
internal static class SiloFailover
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(2);

    public static async Task<TResult> RetryAsync<TState, TResult>(Func<TState, Task<TResult>> call, TState state, TimeSpan budget, TimeProvider time)
    {
        var delay = FirstDelay;
        var deadline = time.GetTimestamp() + (long)(budget.TotalSeconds * time.TimestampFrequency);
        while (true)
        {
            try
            {
                return await call(state).ConfigureAwait(false);
            }
            catch (SiloUnavailableException) when (time.GetTimestamp() + (long)(delay.TotalSeconds * time.TimestampFrequency) < deadline)
            {
                await Task.Delay(delay, time).ConfigureAwait(false);
                delay = delay * 2 < MaxDelay ? delay * 2 : MaxDelay;
            }
        }
    }
}
