using Bifro.Runtime.Messaging;
using Bifro.Serialization.Invocation;

namespace Bifro.Runtime;

/// <summary>
/// A typed handle on a grain or observer. Generated subclasses implement the interface by turning each
/// call into an invoker object and handing it to the runtime; nothing is reflected per call.
/// </summary>
public abstract class GrainReference : IAddressable, IEquatable<GrainReference>
{
    private readonly IGrainReferenceRuntime _runtime;

    protected GrainReference(IGrainReferenceRuntime runtime, GrainId grainId, Type interfaceType)
    {
        _runtime = runtime;
        GrainId = grainId;
        InterfaceType = interfaceType;
    }

    public GrainId GrainId { get; }

    public Type InterfaceType { get; }

    internal IGrainReferenceRuntime Runtime => _runtime;

    public bool Equals(GrainReference? other) => other is not null && GrainId.Equals(other.GrainId);

    public override bool Equals(object? obj) => Equals(obj as GrainReference);

    public override int GetHashCode() => GrainId.GetHashCode();

    public override string ToString() => $"{InterfaceType.Name}:{GrainId}";

    protected Task<T> InvokeAsync<T>(Request<T> request) => _runtime.InvokeMethodAsync(this, request);

    protected Task InvokeAsync(Request request) => _runtime.InvokeMethodAsync(this, request);
}
