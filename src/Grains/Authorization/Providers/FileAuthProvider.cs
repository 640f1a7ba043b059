using System.Text.Json;

namespace Bifro.Grains.Authorization.Providers;

/// <summary>
/// Bifro:Auth:Provider = "file": users with salted PBKDF2 hashes and ordered ACL rules from a JSON file
/// (Bifro:Auth:File:Path; format in README.md). Read once at start; a bad file stops the node.
/// </summary>
internal sealed class FileAuthProvider : IAuthProvider
{
    public const string Name = "file";

    // A known hash to verify against for unknown users, so that a wrong user name takes as long as a wrong password.
    private static readonly Lazy<PasswordHash.Parsed> s_dummy = new(() =>
    {
        PasswordHash.TryParse(PasswordHash.Hash("bifro-dummy-password", PasswordHash.MinimumIterations), out var parsed, out _);
        return parsed!;
    });

    private readonly Dictionary<string, User> _users;
    private readonly AclRule[] _rules;
    private readonly string? _certificateUsername;

    private FileAuthProvider(Dictionary<string, User> users, AclRule[] rules, string? certificateUsername)
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

        if (document.CertificateUsername is not (null or "cn" or "san-dns" or "san-email"))
        {
            throw new AuthFileException($"'{path}': certificateUsername '{document.CertificateUsername}' must be 'cn', 'san-dns' or 'san-email'.");
        }

        var users = new Dictionary<string, User>(StringComparer.Ordinal);
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

            if (hash is null && !entry.Certificate)
            {
                throw new AuthFileException($"{where} ({entry.Username}) has neither a password nor \"certificate\": true.");
            }

            var tenant = entry.Tenant ?? SessionKey.DefaultTenant;
            if (!AuthProviderGuard.IsValidTenant(tenant))
            {
                throw new AuthFileException($"{where} ({entry.Username}): tenant '{tenant}' must be non-empty, without '/'.");
            }

            if (!users.TryAdd(entry.Username, new User(entry.Username, hash, entry.Certificate, tenant, entry.Attributes)))
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

        var username = request.Username;
        var byCertificate = false;
        if (_certificateUsername is not null && request.LoadClientCertificate() is { } certificate)
        {
            using (certificate)
            {
                if (CertificateIdentity.Select(certificate, _certificateUsername) is { } name)
                {
                    username = name;
                    byCertificate = true;
                }
            }
        }

        if (username is null)
        {
            return ValueTask.FromResult(AuthResult.Reject(AuthRejectCode.NotAuthorized, "No user name."));
        }

        if (!_users.TryGetValue(username, out var user))
        {
            if (request.Password is { } attempted)
            {
                PasswordHash.Verify(attempted, s_dummy.Value);
            }

            return ValueTask.FromResult(AuthResult.Reject(AuthRejectCode.BadUserNameOrPassword, "Bad user name or password."));
        }

        var authenticated = (byCertificate && user.Certificate)
            || (user.Hash is not null && request.Password is { } password && PasswordHash.Verify(password, user.Hash));
        return ValueTask.FromResult(authenticated
            ? AuthResult.Ok(user.Tenant, user.Name, user.Attributes)
            : AuthResult.Reject(AuthRejectCode.BadUserNameOrPassword, "Bad user name or password."));
    }

    public ValueTask<CheckResult> CheckPermissionAsync(ClientInfo client, MqttAction action, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Check(client, action));

    /// <summary>The first rule that applies decides; without one, connect and unsubscribe are granted, publish and subscribe denied.</summary>
    public CheckResult Check(ClientInfo client, MqttAction action)
    {
        foreach (var rule in _rules)
        {
            if (rule.Applies(client, action))
            {
                return rule.Allow ? CheckResult.Granted : CheckResult.Denied($"Denied by ACL rule {rule.Index}.");
            }
        }

        return action.Kind is MqttActionKind.Connect or MqttActionKind.Unsubscribe
            ? CheckResult.Granted
            : CheckResult.Denied("No ACL rule allows it.");
    }

    private static AclRule ToRule(AuthFileDocument.AclEntry entry, int index, string where)
    {
        var allow = entry.Effect switch
        {
            "allow" => true,
            "deny" => false,
            _ => throw new AuthFileException($"{where}: effect '{entry.Effect}' must be 'allow' or 'deny'."),
        };

        var actions = 0;
        foreach (var action in entry.Actions ?? ["all"])
        {
            actions |= action switch
            {
                "connect" => 1 << (int)MqttActionKind.Connect,
                "publish" => 1 << (int)MqttActionKind.Publish,
                "subscribe" => 1 << (int)MqttActionKind.Subscribe,
                "unsubscribe" => 1 << (int)MqttActionKind.Unsubscribe,
                "all" => 0b1111,
                _ => throw new AuthFileException($"{where}: action '{action}' must be connect, publish, subscribe, unsubscribe or all."),
            };
        }

        var qos = 0b111;
        if (entry.Qos is { } levels)
        {
            qos = 0;
            foreach (var level in levels)
            {
                qos |= level is >= 0 and <= 2 ? 1 << level : throw new AuthFileException($"{where}: qos {level} must be 0, 1 or 2.");
            }
        }

        foreach (var topic in entry.Topics ?? [])
        {
            if (string.IsNullOrEmpty(topic) || !IsValidPattern(topic))
            {
                throw new AuthFileException($"{where}: topic pattern '{topic}' is not a valid topic filter ('#' only as the last level, '+' and '#' alone in their level).");
            }
        }

        return new AclRule
        {
            Index = index,
            Allow = allow,
            Actions = actions,
            User = entry.User,
            ClientId = entry.ClientId,
            Tenant = entry.Tenant,
            Certificate = entry.Certificate,
            Topics = entry.Topics?.ToArray(),
            QoS = qos,
            Retain = entry.Retain,
        };
    }

    private static bool IsValidPattern(string pattern)
    {
        var levels = pattern.Split('/');
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            if ((level.Contains('#', StringComparison.Ordinal) && (level != "#" || i != levels.Length - 1))
                || (level.Contains('+', StringComparison.Ordinal) && level != "+"))
            {
                return false;
            }
        }

        return true;
    }

    private sealed record User(string Name, PasswordHash.Parsed? Hash, bool Certificate, string Tenant, Dictionary<string, string>? Attributes);
}
