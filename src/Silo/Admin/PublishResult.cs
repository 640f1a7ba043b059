using System.Text.Json.Serialization;

namespace Bifro.Silo.Admin;

/// <summary>A published message, handed to its subscribers' connections, inboxes and nodes.</summary>
internal sealed record PublishResult(string Tenant, string Topic, [property: JsonPropertyName("qos")] byte QoS, bool Retain, int PayloadBytes);
