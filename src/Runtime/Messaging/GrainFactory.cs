using System.Collections.Concurrent;
using Bifro.Runtime.Activation;

namespace Bifro.Runtime.Messaging;

/// <summary>The runtime's <see cref="IGrainFactory"/>: ids from interfaces, generated references, observers.</summary>
internal sealed class GrainFactory : IGrainFactory
{
    private readonly IGrainReferenceRuntime _runtime;
    private readonly ObserverRegistry _observers;
    private readonly ConcurrentDictionary<(Type Interface, string? Prefix), GrainType> _grainTypes = new();

    public GrainFactory(IGrainReferenceRuntime runtime, ObserverRegistry observers)
    {
        _runtime = runtime;
        _observers = observers;
    }

    public TGrainInterface GetGrain<TGrainInterface>(string primaryKey, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithStringKey
    {
        var grainType = _grainTypes.GetOrAdd((typeof(TGrainInterface), grainClassNamePrefix),
            static key => GrainClassRegistry.ResolveGrainType(key.Interface, key.Prefix));
        return (TGrainInterface)(object)GrainReferenceRegistry.Create(typeof(TGrainInterface), _runtime, new GrainId(grainType, primaryKey));
    }

    public TGrainInterface GetGrain<TGrainInterface>(GrainId grainId)
        where TGrainInterface : IAddressable =>
        (TGrainInterface)(object)GrainReferenceRegistry.Create(typeof(TGrainInterface), _runtime, grainId);

    public IAddressable GetGrain(GrainId grainId)
    {
        if (!GrainClassRegistry.TryGet(grainId.Type, out var grainClass))
        {
            ApplicationParts.EnsureLoaded();
            if (!GrainClassRegistry.TryGet(grainId.Type, out grainClass))
            {
                throw new GrainRuntimeException($"No grain class has grain type '{grainId.Type}'; use GetGrain<TInterface>(grainId).");
            }
        }

        return GrainReferenceRegistry.Create(grainClass.Interfaces[0], _runtime, grainId);
    }

    public TGrainObserverInterface CreateObjectReference<TGrainObserverInterface>(IGrainObserver obj)
        where TGrainObserverInterface : IGrainObserver =>
        (TGrainObserverInterface)(object)GrainReferenceRegistry.Create(typeof(TGrainObserverInterface), _runtime, _observers.Register(obj));

    public void DeleteObjectReference<TGrainObserverInterface>(IGrainObserver obj)
        where TGrainObserverInterface : IGrainObserver => _observers.Unregister(obj);
}
