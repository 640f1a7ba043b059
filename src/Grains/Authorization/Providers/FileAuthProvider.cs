using System.Text.Json;
using Bifro.Grains.Authorization.Providers.Scram;

namespace Bifro.Grains.Authorization.Providers;

/// <summary>
/// Bifro:Auth:Provider = "file": users with salted PBKDF2 hashes (and, for the scram provider, SCRAM-SHA-256
/// credentials) and ordered ACL rules from a JSON file (Bifro:Auth:File:Path; format in README.md). Read
/// once at start; a bad file stops the node.
/// </summary>
internal sealed class FileAuthProvider : IAuthProvider, IUserStore
{
    public const string Name = "file";

    private readonly Dictionary<string, UserRecord> _users;
    private readonly AclRule[] _rules;
    private readonly string? _certificateUsername;

    private FileAuthProvider(Dictionary<string, UserRecord> users, AclRule[] rules, string? certificateUsername)
    {
        _users = users;
        _rules = rules;
        _certificateUsername = certificateUsername;
    }

    public int UserCount => _users.Count;

    public int RuleCount => _rules.Length;

    /// <summary>Reads the file; <see cref="AuthFileException"/> says what is wrong, and where.</summary>
    public static FileAuthProvider Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new AuthFileException($"cannot read '{path}': {exception.Message}");
        }

        return Parse(json, path);
    }

    public static FileAuthProvider Parse(string json, string path = "(inline)")
    {
        AuthFileDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<AuthFileDocument>(json, new JsonSerializerOptions
            {
                PropertyNameCaseInsensitive = true,
                ReadCommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
                UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
            });
        }
        catch (JsonException exception)
        {
            throw new AuthFileException($"'{path}' is not valid: {exception.Message}");
        }

        if (document is null)
        {
            throw new AuthFileException($"'{path}' is empty.");
        }

        if (!UserAuthentication.IsValidCertificateUsername(document.CertificateUsername))
        {
            throw new AuthFileException($"'{path}': certificateUsername '{document.CertificateUsername}' must be 'cn', 'san-dns' or 'san-email'.");
        }

        var users = new Dictionary<string, UserRecord>(StringComparer.Ordinal);
        for (var i = 0; i < document.Users.Count; i++)
        {
            var entry = document.Users[i];
            var where = $"'{path}': users[{i}]";
            if (string.IsNullOrEmpty(entry.Username))
            {
                throw new AuthFileException($"{where} has no username.");
            }

            PasswordHash.Parsed? hash = null;
            if (entry.Password is not null && !PasswordHash.TryParse(entry.Password, out hash, out var error))
            {
                throw new AuthFileException($"{where} ({entry.Username}): the password {error}.");
            }

            ScramCredential? scram = null;
            if (entry.Scram is not null && !ScramCredential.TryParse(entry.Scram, out scram, out var scramError))
            {
                throw new AuthFileException($"{where} ({entry.Username}): scram {scramError}.");
            }

            if (hash is null && scram is null && !entry.Certificate)
            {
                throw new AuthFileException($"{where} ({entry.Username}) has neither a password nor \"certificate\": true (nor scram credentials).");
            }

            var tenant = entry.Tenant ?? SessionKey.DefaultTenant;
            if (!AuthProviderGuard.IsValidTenant(tenant))
            {
                throw new AuthFileException($"{where} ({entry.Username}): tenant '{tenant}' must be non-empty, without '/'.");
            }

            if (!users.TryAdd(entry.Username, new UserRecord(entry.Username, hash, scram, entry.Certificate, tenant, entry.Attributes)))
            {
                throw new AuthFileException($"{where}: user '{entry.Username}' appears twice.");
            }
        }

        var rules = new AclRule[document.Acl.Count];
        for (var i = 0; i < rules.Length; i++)
        {
            rules[i] = ToRule(document.Acl[i], i, $"'{path}': acl[{i}]");
        }

        return new FileAuthProvider(users, rules, document.CertificateUsername);
    }

    public ValueTask<AuthResult> AuthenticateAsync(AuthRequest request, CancellationToken cancellationToken)
    {
        if (request.AuthenticationMethod is not null)
        {
            return ValueTask.FromResult(AuthResult.Reject(AuthRejectCode.BadAuthenticationMethod, $"Authentication method '{request.AuthenticationMethod}' is not supported."));
        }

        var username = UserAuthentication.ResolveUsername(request, _certificateUsername, out var byCertificate);
        if (username is null)
        {
            return ValueTask.FromResult(AuthResult.Reject(AuthRejectCode.NotAuthorized, "No user name."));
        }

        return ValueTask.FromResult(UserAuthentication.Verify(request, _users.GetValueOrDefault(username), byCertificate));
    }

    /// <inheritdoc/>
    public ValueTask<UserRecord?> FindUserAsync(string username, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_users.GetValueOrDefault(username));

    public ValueTask<CheckResult> CheckPermissionAsync(ClientInfo client, MqttAction action, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Check(client, action));

    /// <summary>The first rule that applies decides; without one, connect and unsubscribe are granted, publish and subscribe denied.</summary>
    public CheckResult Check(ClientInfo client, MqttAction action) => AclPolicy.Check(_rules, client, action);

    private static AclRule ToRule(AuthFileDocument.AclEntry entry, int index, string where) =>
        AclRuleParser.TryCreate(index, entry.Effect, entry.Actions, entry.User, entry.ClientId, entry.Tenant, entry.Certificate, entry.Topics, entry.Qos, entry.Retain, out var rule, out var error)
            ? rule
            : throw new AuthFileException($"{where}: {error}");
}
