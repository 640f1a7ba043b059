using Bifro.Runtime.Activation;
using Microsoft.Extensions.DependencyInjection;

namespace Bifro.Runtime;

/// <summary>
/// Base class of grains, after Orleans' Grain: identity, factory, services and lifecycle hooks.
/// The activation is bound while the constructor runs, so constructors may use these members.
/// </summary>
public abstract class Grain : IGrainBase, IAddressable
{
    private readonly IGrainContext _grainContext;

    protected Grain()
    {
        _grainContext = ActivationContext.CurrentlyConstructing
            ?? throw new InvalidOperationException(
                "Grains are created by the runtime: call IGrainFactory.GetGrain, do not construct grain classes directly.");
    }

    /// <summary>The activation this grain object belongs to.</summary>
    public IGrainContext GrainContext => _grainContext;

    /// <summary>A reference to this grain.</summary>
    public GrainReference GrainReference => _grainContext.GrainReference;

    /// <summary>The silo's grain factory.</summary>
    protected IGrainFactory GrainFactory => ServiceProvider.GetRequiredService<IGrainFactory>();

    /// <summary>The silo's services.</summary>
    protected internal IServiceProvider ServiceProvider => _grainContext.ActivationServices;

    /// <summary>A string that names this grain in logs: "type/key".</summary>
    public string IdentityString => _grainContext.GrainId.ToString();

    /// <summary>A string that names this activation: grain id and silo.</summary>
    public string RuntimeIdentity => $"{_grainContext.GrainId}@{_grainContext.Address}";

    /// <summary>Deactivate once the current call completes.</summary>
    protected void DeactivateOnIdle() =>
        _grainContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "DeactivateOnIdle was called."));

    /// <summary>
    /// Keep the activation for at least <paramref name="timeSpan"/> whatever the idle collector thinks;
    /// <see cref="TimeSpan.Zero"/> or a negative value cancels an earlier delay.
    /// </summary>
    protected void DelayDeactivation(TimeSpan timeSpan) => ((ActivationData)_grainContext).DelayDeactivation(timeSpan);

    /// <inheritdoc />
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;
}
