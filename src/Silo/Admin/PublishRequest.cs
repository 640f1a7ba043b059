using System.Text.Json.Serialization;

namespace Bifro.Silo.Admin;

/// <summary>
/// A message to publish as if a client had. The payload is <see cref="Payload"/> (UTF-8 text) or
/// <see cref="PayloadBase64"/> (bytes), not both; neither is an empty payload.
/// </summary>
internal sealed record PublishRequest(
    string? Tenant,
    string? Topic,
    string? Payload,
    string? PayloadBase64,
    [property: JsonPropertyName("qos")] byte QoS,
    bool Retain,
    string? ContentType,
    uint? MessageExpiryInterval);
