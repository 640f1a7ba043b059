namespace Bifro.Runtime.Activation;

/// <summary>Work an activation runs as a turn: a grain call or a timer tick.</summary>
internal interface IActivationWorkItem
{
    /// <summary>May run while another request is in progress ([AlwaysInterleave], interleaving timers).</summary>
    bool Interleaves { get; }

    /// <summary>Read-only requests may run together.</summary>
    bool IsReadOnly { get; }

    /// <summary>Counts as activity for idle collection (calls do; timer ticks only with KeepAlive).</summary>
    bool KeepsAlive { get; }

    Task RunAsync(ActivationData activation);

    /// <summary>The activation could not be created: tell the caller.</summary>
    void Fail(Exception exception);
}
