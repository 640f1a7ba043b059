namespace Bifro.Runtime;

/// <summary>Well-known provider names, as in Orleans.</summary>
public static class ProviderConstants
{
    /// <summary>The storage used by [PersistentState] without a storage name.</summary>
    public const string DefaultStorageProviderName = "Default";

    /// <summary>The storage that keeps reminders and stream subscriptions.</summary>
    public const string DefaultPubSubProviderName = "PubSubStore";
}
