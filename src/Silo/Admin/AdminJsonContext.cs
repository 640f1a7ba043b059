using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bifro.Silo.Admin;

/// <summary>Serialization of the admin API's bodies, generated at build time (no reflection per request).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(SessionList))]
[JsonSerializable(typeof(SessionDetail))]
[JsonSerializable(typeof(KickResult))]
[JsonSerializable(typeof(KickRequest))]
[JsonSerializable(typeof(BanList))]
[JsonSerializable(typeof(BanView))]
[JsonSerializable(typeof(BanAddRequest))]
[JsonSerializable(typeof(PublishRequest))]
[JsonSerializable(typeof(PublishResult))]
[JsonSerializable(typeof(RetainedList))]
[JsonSerializable(typeof(RetainedClearResult))]
[JsonSerializable(typeof(ClusterView))]
[JsonSerializable(typeof(TenantSettingsView))]
[JsonSerializable(typeof(HealthReport))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
