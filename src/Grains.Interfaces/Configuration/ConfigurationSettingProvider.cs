using Bifro.Grains;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Bifro.Configuration;

/// <summary>
/// The default <see cref="ISettingProvider"/>: tenant settings from configuration. "Bifro:Tenants:Default:*"
/// changes the defaults for every tenant; "Bifro:Tenants:{tenantId}:*" overrides single settings of one
/// tenant on top of them. Bad values stop the node at start, naming the key; when configuration is
/// reloaded (appsettings.json edited), good values apply to new connections and bad ones are logged
/// and ignored. Configuration keys ignore case, so tenant ids that differ only in case share settings.
/// </summary>
internal sealed partial class ConfigurationSettingProvider : ISettingProvider, IDisposable
{
    public const string SectionName = "Bifro:Tenants";

    /// <summary>The section under <see cref="SectionName"/> that holds every tenant's defaults.</summary>
    public const string DefaultSection = "Default";

    private readonly IDisposable? _reload;
    private readonly ILogger? _logger;
    private volatile Snapshot _snapshot;

    /// <summary>Built-in defaults only, for hosts without configuration (tests, embedding).</summary>
    public ConfigurationSettingProvider()
    {
        _snapshot = new Snapshot(new TenantSettings(), new Dictionary<string, TenantSettings>(StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>Reads <paramref name="configuration"/>; throws <see cref="InvalidOperationException"/> listing every bad key.</summary>
    public ConfigurationSettingProvider(IConfiguration configuration, ILogger<ConfigurationSettingProvider>? logger = null)
    {
        var errors = new List<string>();
        _snapshot = Bind(configuration, errors) ?? throw new InvalidOperationException(string.Join(Environment.NewLine, errors));
        _logger = logger;
        _reload = ChangeToken.OnChange(configuration.GetReloadToken, () => Reload(configuration));
    }

    /// <summary>The tenants with settings of their own.</summary>
    public IReadOnlyCollection<string> ConfiguredTenants => _snapshot.Tenants.Keys;

    /// <summary>Checks the section; the errors name their keys.</summary>
    public static List<string> Validate(IConfiguration configuration)
    {
        var errors = new List<string>();
        Bind(configuration, errors);
        return errors;
    }

    public ValueTask<TenantSettings> GetSettingsAsync(string tenantId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Get(tenantId));

    /// <summary>Synchronous, for callers that hold no async context.</summary>
    public TenantSettings Get(string tenantId)
    {
        var snapshot = _snapshot;
        return snapshot.Tenants.TryGetValue(tenantId, out var settings) ? settings : snapshot.Default;
    }

    public void Dispose() => _reload?.Dispose();

    private void Reload(IConfiguration configuration)
    {
        var errors = new List<string>();
        if (Bind(configuration, errors) is { } snapshot)
        {
            _snapshot = snapshot;
            return;
        }

        if (_logger is not null)
        {
            LogReloadRefused(_logger, string.Join("; ", errors));
        }
    }

    private static Snapshot? Bind(IConfiguration configuration, List<string> errors)
    {
        var section = configuration.GetSection(SectionName);
        var defaults = new TenantSettings();
        var before = errors.Count;
        BindSection(section.GetSection(DefaultSection), defaults, $"{SectionName}:{DefaultSection}", errors);
        var tenants = new Dictionary<string, TenantSettings>(StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (string.Equals(child.Key, DefaultSection, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var key = $"{SectionName}:{child.Key}";
            if (!AuthProviderGuard.IsValidTenant(child.Key))
            {
                errors.Add($"{key}: '{child.Key}' is not a tenant id (non-empty, without '/').");
                continue;
            }

            var settings = defaults.Clone();
            BindSection(child, settings, key, errors);
            tenants[child.Key] = settings;
        }

        return errors.Count == before ? new Snapshot(defaults, tenants) : null;
    }

    private static void BindSection(IConfigurationSection section, TenantSettings settings, string key, List<string> errors)
    {
        try
        {
            section.Bind(settings, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException exception)
        {
            // The binder says which key it could not convert, or which property does not exist.
            errors.Add($"{key}: {exception.Message}");
            return;
        }

        TenantSettingsValidator.Validate(settings, key, errors);
    }

    [LoggerMessage(1, LogLevel.Error, "Bifro:Tenants changed but cannot be used; the previous settings stay: {Errors}")]
    private static partial void LogReloadRefused(ILogger logger, string errors);

    private sealed record Snapshot(TenantSettings Default, Dictionary<string, TenantSettings> Tenants);
}
