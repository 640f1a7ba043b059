namespace Bifro.Runtime;

/// <summary>What the runtime needs of a grain class. <see cref="Grain"/> implements it.</summary>
public interface IGrainBase
{
    /// <summary>The activation this grain object belongs to.</summary>
    IGrainContext GrainContext { get; }

    /// <summary>Called once, after state has been read and before the first call is delivered.</summary>
    Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Called once when the activation goes away (idle, requested, or silo shutdown).</summary>
    Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;
}
