namespace Bifro.MqttEdge.Codec.Validation;

/// <summary>Outcome of <see cref="SharedSubscription.TryParse"/>.</summary>
internal enum SharedSubscriptionStatus
{
    /// <summary>The filter does not start with <c>$share/</c>: an ordinary filter.</summary>
    NotShared,

    /// <summary>A well-formed shared subscription; share name and filter are set.</summary>
    Valid,

    /// <summary>Starts with <c>$share/</c> but the share name or the filter is invalid (SUBACK 0x8F).</summary>
    Invalid,
}
