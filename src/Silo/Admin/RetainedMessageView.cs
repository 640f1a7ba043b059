using System.Text.Json.Serialization;

namespace Bifro.Silo.Admin;

/// <summary>
/// A retained message. <see cref="Payload"/> is the payload as text when it is valid UTF-8, else null;
/// <see cref="PayloadBase64"/> always has the bytes.
/// </summary>
internal sealed record RetainedMessageView(
    string Topic,
    string? Payload,
    string PayloadBase64,
    [property: JsonPropertyName("qos")] byte QoS,
    string? ContentType,
    DateTimeOffset? PublishedAt,
    DateTimeOffset? ExpiresAt);
