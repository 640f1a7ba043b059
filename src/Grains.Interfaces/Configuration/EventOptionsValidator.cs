using Microsoft.Extensions.Options;

namespace Bifro.Configuration;

/// <summary>
/// Checks <see cref="EventOptions"/> at start, naming the key at fault. With <paramref name="checkCollectorNames"/>
/// (the node reading its configuration), every collector named must be built in or a configured plugin; in
/// code, AddEventCollector can register others.
/// </summary>
public sealed class EventOptionsValidator(bool checkCollectorNames = false) : IValidateOptions<EventOptions>
{
    public static readonly string[] BuiltInCollectors = ["log", "metrics", "webhook"];

    public EventOptionsValidator()
        : this(false)
    {
    }

    public ValidateOptionsResult Validate(string? name, EventOptions options)
    {
        const string Section = EventOptions.SectionName;
        var failures = new List<string>();
        if (options.QueueSize < 1)
        {
            failures.Add($"{Section}:QueueSize must be at least 1; it is {options.QueueSize}.");
        }

        if (options.CollectorQueueSize < 1)
        {
            failures.Add($"{Section}:CollectorQueueSize must be at least 1; it is {options.CollectorQueueSize}.");
        }

        if (options.PublishSampling < 0)
        {
            failures.Add($"{Section}:PublishSampling must not be negative; it is {options.PublishSampling}.");
        }

        foreach (var collector in checkCollectorNames ? options.EffectiveCollectors : [])
        {
            if (!BuiltInCollectors.Contains(collector, StringComparer.OrdinalIgnoreCase) && !options.Plugins.ContainsKey(collector))
            {
                failures.Add($"{Section}:Collectors: '{collector}' is neither a built-in collector ({string.Join(", ", BuiltInCollectors)}) nor a plugin in {Section}:Plugins.");
            }
        }

        foreach (var (plugin, plugged) in options.Plugins)
        {
            if (string.IsNullOrEmpty(plugged.Path) || string.IsNullOrEmpty(plugged.TypeName))
            {
                failures.Add($"{Section}:Plugins:{plugin}:Path and TypeName are required.");
            }
        }

        if (options.EffectiveCollectors.Contains("webhook", StringComparer.OrdinalIgnoreCase))
        {
            var webhook = options.Webhook;
            if (!Uri.TryCreate(webhook.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                failures.Add($"{Section}:Webhook:Url must be an http or https URL; it is '{webhook.Url}'.");
            }

            if (webhook.BatchSize < 1 || webhook.MaxBacklog < 1 || webhook.MaxAttempts < 1)
            {
                failures.Add($"{Section}:Webhook:BatchSize, MaxBacklog and MaxAttempts must be at least 1.");
            }

            if (webhook.Timeout <= TimeSpan.Zero || webhook.RetryBackoff < TimeSpan.Zero || webhook.MaxRetryBackoff < webhook.RetryBackoff)
            {
                failures.Add($"{Section}:Webhook:Timeout must be positive, and MaxRetryBackoff at least RetryBackoff.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
