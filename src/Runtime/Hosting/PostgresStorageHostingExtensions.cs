using Bifro.Configuration;
using Bifro.Runtime;
using Bifro.Runtime.Providers.Reminders.Postgres;
using Bifro.Runtime.Providers.Storage.Postgres;
using Bifro.Runtime.Timers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bifro.Hosting;

/// <summary>Grain storage and reminders in PostgreSQL (Orleans' AddAdoNetGrainStorage, UseAdoNetReminderService).</summary>
public static class PostgresStorageHostingExtensions
{
    /// <summary>Grain state and collections in PostgreSQL under <paramref name="name"/>.</summary>
    public static ISiloBuilder AddPostgresGrainStorage(this ISiloBuilder builder, string name, Action<PostgresStorageOptions> configure)
    {
        builder.Services.AddOptions<PostgresStorageOptions>(name).Configure(configure);
        builder.Services.AddKeyedSingleton<IGrainStorage>(name, (sp, _) => new PostgresGrainStorage(
            sp.GetRequiredService<IOptionsMonitor<PostgresStorageOptions>>().Get(name),
            sp.GetRequiredService<IOptions<ClusterOptions>>().Value,
            sp));
        builder.Services.AddKeyedSingleton<IGrainCollectionStorage>(name, (sp, _) => (PostgresGrainStorage)sp.GetRequiredKeyedService<IGrainStorage>(name));
        return builder;
    }

    public static ISiloBuilder AddPostgresGrainStorageAsDefault(this ISiloBuilder builder, Action<PostgresStorageOptions> configure) =>
        builder.AddPostgresGrainStorage(ProviderConstants.DefaultStorageProviderName, configure);

    public static ISiloBuilder UsePostgresReminderService(this ISiloBuilder builder, Action<PostgresStorageOptions> configure)
    {
        const string name = "Bifro.Reminders.Postgres";
        builder.Services.AddOptions<PostgresStorageOptions>(name).Configure(configure);
        builder.Services.RemoveAll<IReminderTable>();
        builder.Services.AddSingleton<IReminderTable>(sp => new PostgresReminderTable(
            sp.GetRequiredService<IOptionsMonitor<PostgresStorageOptions>>().Get(name),
            sp.GetRequiredService<IOptions<ClusterOptions>>().Value));
        builder.Services.TryAddSingleton<ReminderService>();
        return builder;
    }
}
