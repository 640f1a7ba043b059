using System.Reflection;
using Bifro.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bifro.Grains.Events;

/// <summary>
/// The structured-log collector ("log"): one log entry per event under category "Bifro.Events", with every
/// field of the event as a named value (so JSON and OpenTelemetry log exporters keep them apart).
/// </summary>
internal sealed class LogEventCollector : IEventCollector
{
    public const string Name = "log";

    private static readonly Dictionary<Type, PropertyInfo[]> s_properties = new();

    private readonly ILogger _logger;
    private readonly LogLevel _level;
    private readonly HashSet<EventType> _excluded = new();

    public LogEventCollector(ILoggerFactory loggers, IOptions<EventOptions> options)
    {
        _logger = loggers.CreateLogger("Bifro.Events");
        var settings = options.Value.Log;
        _level = Enum.TryParse<LogLevel>(settings.Level, ignoreCase: true, out var level) ? level : LogLevel.Information;
        foreach (var name in settings.Exclude)
        {
            if (EventTypes.TryParse(name, out var type))
            {
                _excluded.Add(type);
            }
        }
    }

    public ValueTask ReportAsync(IReadOnlyList<BifroEvent> events, CancellationToken cancellationToken)
    {
        if (!_logger.IsEnabled(_level))
        {
            return ValueTask.CompletedTask;
        }

        foreach (var e in events)
        {
            if (!_excluded.Contains(e.Type))
            {
                _logger.Log(_level, new EventId((int)e.Type, e.Type.ToString()), new EventState(e), null, static (state, _) => state.ToString());
            }
        }

        return ValueTask.CompletedTask;
    }

    private static PropertyInfo[] PropertiesOf(Type type)
    {
        lock (s_properties)
        {
            if (!s_properties.TryGetValue(type, out var properties))
            {
                properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(p => p.Name != nameof(BifroEvent.StreamKey))
                    .ToArray();
                s_properties[type] = properties;
            }

            return properties;
        }
    }

    /// <summary>The event's fields as a log entry's named values, and its message.</summary>
    private sealed class EventState(BifroEvent e) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly PropertyInfo[] _properties = PropertiesOf(e.GetType());

        public int Count => _properties.Length + 1;

        public KeyValuePair<string, object?> this[int index] =>
            index < _properties.Length
                ? new KeyValuePair<string, object?>(_properties[index].Name, Render(_properties[index].GetValue(e)))
                : new KeyValuePair<string, object?>("{OriginalFormat}", "{Type} {TenantId}/{ClientId}");

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString()
        {
            var text = new System.Text.StringBuilder();
            text.Append(e.Type).Append(' ').Append(e.TenantId ?? "-").Append('/').Append(e.ClientId ?? "-");
            foreach (var property in _properties)
            {
                if (property.DeclaringType == typeof(BifroEvent) && property.Name is nameof(BifroEvent.Type) or nameof(BifroEvent.TenantId) or nameof(BifroEvent.ClientId))
                {
                    continue;
                }

                if (Render(property.GetValue(e)) is { } value)
                {
                    text.Append(' ').Append(property.Name).Append('=').Append(value);
                }
            }

            return text.ToString();
        }

        private static object? Render(object? value) => value switch
        {
            null => null,
            BanEntry ban => ban.ToString(),
            DateTimeOffset time => time.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            _ => value,
        };
    }
}
