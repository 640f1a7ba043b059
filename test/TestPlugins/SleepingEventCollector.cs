using Bifro.Grains;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Bifro.TestPlugins;

/// <summary>
/// An event collector plugin that is deliberately slow: it sleeps TestPlugins:SleepingCollector:Milliseconds
/// (1000 by default) on every batch and counts what it got. The end-to-end tests and the benchmark load it to
/// show that a slow consumer misses events without slowing the MQTT path.
/// </summary>
public sealed partial class SleepingEventCollector : IEventCollector
{
    private readonly TimeSpan _sleep;
    private readonly ILogger<SleepingEventCollector> _logger;
    private long _received;

    public SleepingEventCollector(IConfiguration configuration, ILogger<SleepingEventCollector> logger)
    {
        _sleep = TimeSpan.FromMilliseconds(configuration.GetValue("TestPlugins:SleepingCollector:Milliseconds", 1000));
        _logger = logger;
        LogLoaded(_logger, _sleep);
    }

    public async ValueTask ReportAsync(IReadOnlyList<BifroEvent> events, CancellationToken cancellationToken)
    {
        var total = Interlocked.Add(ref _received, events.Count);
        LogBatch(_logger, events.Count, total);
        await Task.Delay(_sleep, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(1, LogLevel.Information, "SleepingEventCollector loaded: {Sleep} per batch")]
    private static partial void LogLoaded(ILogger logger, TimeSpan sleep);

    [LoggerMessage(2, LogLevel.Information, "SleepingEventCollector got {Count} events ({Total} so far)")]
    private static partial void LogBatch(ILogger logger, int count, long total);
}
