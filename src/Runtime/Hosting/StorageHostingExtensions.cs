using Bifro.Runtime;
using Bifro.Runtime.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Bifro.Hosting;

/// <summary>Grain storage registration (named providers, keyed services).</summary>
public static class StorageHostingExtensions
{
    /// <summary>Grain state in memory under <paramref name="name"/> ("Default" by default).</summary>
    public static ISiloBuilder AddMemoryGrainStorage(this ISiloBuilder builder, string name = ProviderConstants.DefaultStorageProviderName)
    {
        builder.Services.AddKeyedSingleton<IGrainStorage, MemoryGrainStorage>(name);
        builder.Services.AddKeyedSingleton<IGrainCollectionStorage, MemoryGrainCollectionStorage>(name);
        return builder;
    }

    /// <summary>Registers a storage provider under <paramref name="name"/>.</summary>
    public static ISiloBuilder AddGrainStorage(this ISiloBuilder builder, string name, Func<IServiceProvider, IGrainStorage> factory)
    {
        builder.Services.AddKeyedSingleton(name, (sp, _) => factory(sp));
        return builder;
    }
}
