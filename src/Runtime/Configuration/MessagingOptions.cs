namespace Bifro.Configuration;

/// <summary>Grain call settings.</summary>
public sealed class MessagingOptions
{
    /// <summary>How long a caller waits for a response (30 seconds by default).</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Serialize every call and response even when caller and grain share a process, as if each crossed
    /// a network (false by default). Tests turn it on to prove that calls are messages.
    /// </summary>
    public bool SerializeLocalCalls { get; set; }
}
