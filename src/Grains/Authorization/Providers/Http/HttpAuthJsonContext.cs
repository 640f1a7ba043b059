using System.Text.Json.Serialization;

namespace Bifro.Grains.Authorization.Providers.Http;

/// <summary>camelCase JSON, nulls left out; generated at compile time.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HttpAuthenticateRequest))]
[JsonSerializable(typeof(HttpAuthenticateResponse))]
[JsonSerializable(typeof(HttpCheckRequest))]
[JsonSerializable(typeof(HttpCheckResponse))]
internal sealed partial class HttpAuthJsonContext : JsonSerializerContext;
