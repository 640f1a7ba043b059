namespace Bifro.Configuration;

/// <summary>Events and their collectors, bound from "Bifro:Events".</summary>
public sealed class EventOptions
{
    public const string SectionName = "Bifro:Events";

    /// <summary>Whether events are produced at all (true by default).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Events a node holds before they enter the event streams (65,536 by default). When producers outrun
    /// the streams, new events are dropped and counted: reporting never waits.
    /// </summary>
    public int QueueSize { get; set; } = 65_536;

    /// <summary>
    /// One PublishReceived event per this many PUBLISH packets a node receives (0, the default: none). 1 reports
    /// every publish; the event's SampledEvery says how many it stands for.
    /// </summary>
    public int PublishSampling { get; set; }

    /// <summary>
    /// The collectors that consume events on each silo, by name: "log", "metrics", "webhook", or the name of a
    /// plugin in <see cref="Plugins"/> ("log" and "metrics" when unset; an empty list turns collectors off).
    /// </summary>
    public List<string>? Collectors { get; set; }

    /// <summary>The collectors that run: <see cref="Collectors"/>, or the defaults.</summary>
    public IReadOnlyList<string> EffectiveCollectors => Collectors ?? ["log", "metrics"];

    /// <summary>Events a collector holds before it drops new ones (10,000 by default; the webhook has its own backlog).</summary>
    public int CollectorQueueSize { get; set; } = 10_000;

    /// <summary>The structured-log collector (Collectors contains "log").</summary>
    public LogCollectorOptions Log { get; set; } = new();

    /// <summary>The webhook collector (Collectors contains "webhook").</summary>
    public WebhookCollectorOptions Webhook { get; set; } = new();

    /// <summary>Collector plugins, by the name Collectors uses for them.</summary>
    public Dictionary<string, EventCollectorPluginOptions> Plugins { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>The structured-log collector. Section "Bifro:Events:Log".</summary>
public sealed class LogCollectorOptions
{
    /// <summary>The level events are logged at (Information by default), under the category "Bifro.Events".</summary>
    public string Level { get; set; } = "Information";

    /// <summary>Event types not logged (none by default), e.g. ["PublishReceived"].</summary>
    public List<string> Exclude { get; set; } = [];
}

/// <summary>The webhook collector: POSTs batches of events as JSON. Section "Bifro:Events:Webhook".</summary>
public sealed class WebhookCollectorOptions
{
    /// <summary>The URL to POST to (required when the collector is on).</summary>
    public string? Url { get; set; }

    /// <summary>Headers added to every request (an Authorization header, say).</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Events in one POST at most (100 by default).</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>Events waiting to be posted at most (10,000 by default); past it new events are dropped and counted.</summary>
    public int MaxBacklog { get; set; } = 10_000;

    /// <summary>How long one POST may take (5 seconds by default).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts per batch before it is dropped and counted (5 by default).</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The wait before the second attempt (1 second by default); it doubles with each attempt.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between attempts (30 seconds by default).</summary>
    public TimeSpan MaxRetryBackoff { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>An event collector class from a plugin assembly. Section "Bifro:Events:Plugins:{name}".</summary>
public sealed class EventCollectorPluginOptions
{
    /// <summary>The plugin assembly (a .dll), or a folder holding it.</summary>
    public string? Path { get; set; }

    /// <summary>The full name of the class implementing IEventCollector (a public constructor: parameterless, or taking services the node has).</summary>
    public string? TypeName { get; set; }
}
