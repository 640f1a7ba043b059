namespace Bifro.Grains.Inbox;

/// <summary>Bounds of persistent sessions' queues (Bifro:Mqtt:Limits).</summary>
public sealed class InboxOptions
{
    /// <summary>Messages a session's inbox holds; past it the oldest is dropped (1000 by default, BifroMQ's SessionInboxSize).</summary>
    public int MaxMessages { get; set; } = 1000;
}
