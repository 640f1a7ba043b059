using Bifro.Grains.Authorization.Providers.Scram;

namespace Bifro.Grains.Authorization.Providers;

/// <summary>
/// A user of the file or postgres provider: a PBKDF2 password hash, SCRAM-SHA-256 credentials, or a
/// certificate flag (at least one of them), the tenant it belongs to and attributes for authorization.
/// </summary>
internal sealed record UserRecord(
    string Name,
    PasswordHash.Parsed? Hash,
    ScramCredential? Scram,
    bool Certificate,
    string Tenant,
    Dictionary<string, string>? Attributes);
