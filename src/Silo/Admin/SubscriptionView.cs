using System.Text.Json.Serialization;

namespace Bifro.Silo.Admin;

/// <summary>A subscription of a session.</summary>
internal sealed record SubscriptionView(string Filter, string? ShareGroup, [property: JsonPropertyName("qos")] byte QoS, bool NoLocal, bool RetainAsPublished, byte RetainHandling, uint SubscriptionId);
