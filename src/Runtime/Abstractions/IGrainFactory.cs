namespace Bifro.Runtime;

/// <summary>Creates references to grains and observers. Mirrors Orleans' IGrainFactory.</summary>
public interface IGrainFactory
{
    /// <summary>A reference to the grain with this string key; the grain is activated on its first call.</summary>
    TGrainInterface GetGrain<TGrainInterface>(string primaryKey, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithStringKey;

    /// <summary>A reference to the grain or observer with this id.</summary>
    TGrainInterface GetGrain<TGrainInterface>(GrainId grainId)
        where TGrainInterface : IAddressable;

    /// <summary>An untyped reference to the grain or observer with this id.</summary>
    IAddressable GetGrain(GrainId grainId);

    /// <summary>
    /// A reference through which grains can call <paramref name="obj"/>. Unlike Orleans, which holds the
    /// object weakly, the runtime holds it until <see cref="DeleteObjectReference{T}"/>, so a reference
    /// never dies behind its owner's back; owners delete it when they are done.
    /// </summary>
    TGrainObserverInterface CreateObjectReference<TGrainObserverInterface>(IGrainObserver obj)
        where TGrainObserverInterface : IGrainObserver;

    /// <summary>Stops routing calls to <paramref name="obj"/>.</summary>
    void DeleteObjectReference<TGrainObserverInterface>(IGrainObserver obj)
        where TGrainObserverInterface : IGrainObserver;
}
