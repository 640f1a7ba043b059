namespace Bifro.Runtime.Activation;

/// <summary>Which activation code is running in.</summary>
internal static class ActivationContext
{
    /// <summary>The activation whose grain object is being constructed on this thread (read by Grain's constructor).</summary>
    [ThreadStatic]
    private static ActivationData? t_constructing;

    public static ActivationData? CurrentlyConstructing
    {
        get => t_constructing;
        set => t_constructing = value;
    }

    /// <summary>
    /// The activation whose turn is running, if any: every turn runs on its activation's own task
    /// scheduler, so the current scheduler says which grain we are in.
    /// </summary>
    public static ActivationData? Current => TaskScheduler.Current as ActivationData;
}
