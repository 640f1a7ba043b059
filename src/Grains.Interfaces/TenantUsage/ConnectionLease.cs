using Bifro.Runtime;

namespace Bifro.Grains;

/// <summary>A connection's slot in <see cref="ITenantUsageGrain"/>: its session and the connection that holds it.</summary>
[GenerateSerializer]
public sealed record ConnectionLease([property: Id(0)] string SessionKey, [property: Id(1)] string ConnectionId);
