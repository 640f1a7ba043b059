namespace Bifro.Silo.Admin;

/// <summary>One session, as the session list and inspection show it.</summary>
internal sealed record SessionSummary(
    string Tenant,
    string ClientId,
    bool Connected,
    bool Persistent,
    string? Node,
    string? UserId,
    byte ProtocolVersion,
    int Subscriptions,
    uint SessionExpiryInterval,
    bool WillPending);
