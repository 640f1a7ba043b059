namespace Bifro.Runtime;

/// <summary>The runtime side of one activation, as grain code and filters see it.</summary>
public interface IGrainContext
{
    /// <summary>The grain's identity.</summary>
    GrainId GrainId { get; }

    /// <summary>The grain object, once constructed.</summary>
    object? GrainInstance { get; }

    /// <summary>A reference to this grain.</summary>
    GrainReference GrainReference { get; }

    /// <summary>The services of the silo.</summary>
    IServiceProvider ActivationServices { get; }

    /// <summary>The silo this activation lives on.</summary>
    SiloAddress Address { get; }

    /// <summary>Asks the runtime to deactivate the grain once its current work is done.</summary>
    void Deactivate(DeactivationReason deactivationReason, CancellationToken cancellationToken = default);
}
