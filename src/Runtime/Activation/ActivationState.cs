namespace Bifro.Runtime.Activation;

internal enum ActivationState : byte
{
    /// <summary>Reading state and running OnActivateAsync; calls wait.</summary>
    Activating,

    /// <summary>Serving calls.</summary>
    Valid,

    /// <summary>Running OnDeactivateAsync; new calls wait and are forwarded to the next activation.</summary>
    Deactivating,

    /// <summary>Gone from the catalog; calls that still arrive are forwarded.</summary>
    Invalid,
}
