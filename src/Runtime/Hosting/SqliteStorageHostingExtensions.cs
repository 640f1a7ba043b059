using Bifro.Configuration;
using Bifro.Runtime;
using Bifro.Runtime.Providers.Storage.Sqlite;
using Bifro.Runtime.Timers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bifro.Hosting;

/// <summary>
/// The embedded store of a single node: grain storage and reminders in a SQLite file under the node's
/// data directory. Both may share one file; each keeps its own table.
/// </summary>
public static class SqliteStorageHostingExtensions
{
    /// <summary>Adds SQLite grain storage under <paramref name="name"/>.</summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, Action<SqliteStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddSqliteGrainStorage(name, options => options.Configure(configure));
    }

    /// <summary>Adds SQLite grain storage under <paramref name="name"/>, configured through an options builder (bind, validate).</summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, Action<OptionsBuilder<SqliteStorageOptions>> configureOptions)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configureOptions);
        var services = builder.Services;
        configureOptions(services.AddOptions<SqliteStorageOptions>(name).ValidateOnStart());
        AddValidator(services);
        services.AddKeyedSingleton<IGrainStorage>(name, (sp, _) => new SqliteGrainStorage(
            name,
            sp.GetRequiredService<IOptionsMonitor<SqliteStorageOptions>>().Get(name),
            sp.GetRequiredService<IOptions<ClusterOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp));

        // The same provider stores grain collections, in the same file.
        services.AddKeyedSingleton<IGrainCollectionStorage>(name, (sp, _) => (SqliteGrainStorage)sp.GetRequiredKeyedService<IGrainStorage>(name));

        // The silo creates the schema at start.
        services.AddSingleton<ISiloParticipant>(sp => (SqliteGrainStorage)sp.GetRequiredKeyedService<IGrainStorage>(name));
        return builder;
    }

    /// <summary>Adds SQLite grain storage as the default storage ("Default", used by [PersistentState] without a storage name).</summary>
    public static ISiloBuilder AddSqliteGrainStorageAsDefault(this ISiloBuilder builder, Action<SqliteStorageOptions> configure) =>
        builder.AddSqliteGrainStorage(ProviderConstants.DefaultStorageProviderName, configure);

    /// <summary>Adds SQLite grain storage as the default storage, configured through an options builder.</summary>
    public static ISiloBuilder AddSqliteGrainStorageAsDefault(this ISiloBuilder builder, Action<OptionsBuilder<SqliteStorageOptions>> configureOptions) =>
        builder.AddSqliteGrainStorage(ProviderConstants.DefaultStorageProviderName, configureOptions);

    /// <summary>Keeps reminders in a SQLite file, so that they survive silo restarts; replaces any other reminder table.</summary>
    public static ISiloBuilder UseSqliteReminderService(this ISiloBuilder builder, Action<SqliteStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.UseSqliteReminderService(options => options.Configure(configure));
    }

    /// <summary>Keeps reminders in a SQLite file, configured through an options builder.</summary>
    public static ISiloBuilder UseSqliteReminderService(this ISiloBuilder builder, Action<OptionsBuilder<SqliteStorageOptions>> configureOptions)
    {
        ArgumentNullException.ThrowIfNull(configureOptions);
        var services = builder.Services;
        configureOptions(services.AddOptions<SqliteStorageOptions>(SqliteReminderTable.OptionsName).ValidateOnStart());
        AddValidator(services);
        services.RemoveAll<IReminderTable>();
        services.AddSingleton<IReminderTable>(sp => new SqliteReminderTable(
            sp.GetRequiredService<IOptionsMonitor<SqliteStorageOptions>>().Get(SqliteReminderTable.OptionsName),
            sp.GetRequiredService<IOptions<ClusterOptions>>()));
        services.TryAddSingleton<ReminderService>();
        return builder;
    }

    private static void AddValidator(IServiceCollection services) =>
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteStorageOptions>, SqliteStorageOptionsValidator>());
}
