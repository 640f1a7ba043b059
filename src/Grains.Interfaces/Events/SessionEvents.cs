using Bifro.Runtime;

// The session-lifecycle group of the event catalogue.
namespace Bifro.Grains;

/// <summary><see cref="EventType.SessionStarted"/> and <see cref="EventType.SessionStopped"/>, reported by the session grain.</summary>
[GenerateSerializer]
public sealed class SessionEvent : BifroEvent
{
    [Id(10)]
    public bool Persistent { get; init; }

    [Id(11)]
    public uint SessionExpiryInterval { get; init; }

    /// <summary>Why it stopped: "expired", "clean-start", "disconnected" (expiry 0), "taken-over", "administrator", "node-lost".</summary>
    [Id(12)]
    public string? Reason { get; init; }
}
