using System.Collections.Concurrent;
using System.Text.Json;
using Bifro.Configuration;
using Bifro.Grains.Authorization.Providers.Scram;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Bifro.Grains.Authorization.Providers.Postgres;

/// <summary>
/// Bifro:Auth:Provider = "postgres": users and ordered ACL rules in PostgreSQL (bifro_auth_users and
/// bifro_auth_acl, deploy/postgresql/05-bifro-auth.sql), with the file provider's model. Users (and unknown
/// user names) and the whole rule list are cached for Bifro:Auth:Postgres:CacheTtl, so a warm CONNECT makes
/// no query and a cold one at most one per table; concurrent misses share one query. Fail closed: a database
/// error denies (CONNACK 0x80, check Error) and is logged by the guard; so does a row that cannot be used.
/// </summary>
internal sealed partial class PostgresAuthProvider : IAuthProvider, IUserStore, IAsyncDisposable, IDisposable
{
    public const string Name = "postgres";

    private const string UserQuery =
        "SELECT password_hash, scram, certificate, tenant, attributes::text FROM bifro_auth_users WHERE username = $1";

    private const string AclQuery =
        "SELECT id, effect, actions, username, client_id, tenant, certificate, topics, qos, retain FROM bifro_auth_acl ORDER BY rule_order, id";

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresAuthOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<PostgresAuthProvider> _logger;
    private readonly TtlCache<string, UserRecord?> _users;
    private readonly ConcurrentDictionary<string, Lazy<Task<UserRecord?>>> _userLoads = new(StringComparer.Ordinal);
    private readonly Lock _aclGate = new();
    private AclSnapshot? _acl;
    private Task<AclSnapshot>? _aclLoad;
    private long _queries;

    public PostgresAuthProvider(PostgresAuthOptions options, TimeProvider time, ILogger<PostgresAuthProvider> logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _dataSource = NpgsqlDataSource.Create(options.ConnectionString!);
        _users = new TtlCache<string, UserRecord?>(options.MaxCachedUsers, time, StringComparer.Ordinal);
    }

    /// <summary>Queries made so far (for tests and diagnostics).</summary>
    public long QueryCount => Interlocked.Read(ref _queries);

    /// <summary>The database, without its password, for the start-up log.</summary>
    public string Describe()
    {
        var builder = new NpgsqlConnectionStringBuilder(_options.ConnectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }

    public async ValueTask<AuthResult> AuthenticateAsync(AuthRequest request, CancellationToken cancellationToken)
    {
        if (request.AuthenticationMethod is not null)
        {
            return AuthResult.Reject(AuthRejectCode.BadAuthenticationMethod, $"Authentication method '{request.AuthenticationMethod}' is not supported.");
        }

        var username = UserAuthentication.ResolveUsername(request, _options.CertificateUsername, out var byCertificate);
        if (username is null)
        {
            return AuthResult.Reject(AuthRejectCode.NotAuthorized, "No user name.");
        }

        var user = await FindUserAsync(username, cancellationToken).ConfigureAwait(false);
        return UserAuthentication.Verify(request, user, byCertificate);
    }

    public ValueTask<UserRecord?> FindUserAsync(string username, CancellationToken cancellationToken)
    {
        if (_users.TryGet(username, out var cached))
        {
            return ValueTask.FromResult(cached);
        }

        // Concurrent CONNECTs for one user share one query; the query is not cancelled by any one of them.
        var load = _userLoads.GetOrAdd(username, static (name, self) => new Lazy<Task<UserRecord?>>(() => self.LoadUserAsync(name)), this);
        return new ValueTask<UserRecord?>(load.Value.WaitAsync(cancellationToken));
    }

    public async ValueTask<CheckResult> CheckPermissionAsync(ClientInfo client, MqttAction action, CancellationToken cancellationToken)
    {
        var snapshot = await GetRulesAsync(cancellationToken).ConfigureAwait(false);
        return snapshot.Rules is { } rules ? AclPolicy.Check(rules, client, action) : CheckResult.Error(snapshot.Error);
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();

    private async Task<UserRecord?> LoadUserAsync(string username)
    {
        try
        {
            var user = await QueryUserAsync(username).ConfigureAwait(false);
            _users.Set(username, user, _options.CacheTtl);
            return user;
        }
        finally
        {
            _userLoads.TryRemove(username, out _);
        }
    }

    private async Task<UserRecord?> QueryUserAsync(string username)
    {
        Interlocked.Increment(ref _queries);
        await using var command = _dataSource.CreateCommand(UserQuery);
        command.Parameters.Add(new NpgsqlParameter { Value = username });
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        if (!await reader.ReadAsync().ConfigureAwait(false))
        {
            return null;
        }

        var where = $"bifro_auth_users row '{username}'";
        PasswordHash.Parsed? hash = null;
        if (!reader.IsDBNull(0) && !PasswordHash.TryParse(reader.GetString(0), out hash, out var hashError))
        {
            throw new InvalidDataException($"{where}: password_hash {hashError}.");
        }

        ScramCredential? scram = null;
        if (!reader.IsDBNull(1) && !ScramCredential.TryParse(reader.GetString(1), out scram, out var scramError))
        {
            throw new InvalidDataException($"{where}: scram {scramError}.");
        }

        var tenant = reader.GetString(3);
        if (!AuthProviderGuard.IsValidTenant(tenant))
        {
            throw new InvalidDataException($"{where}: tenant '{tenant}' must be non-empty, without '/'.");
        }

        var attributes = reader.IsDBNull(4) ? null : ParseAttributes(reader.GetString(4), where);
        return new UserRecord(username, hash, scram, reader.GetBoolean(2), tenant, attributes);
    }

    private static Dictionary<string, string> ParseAttributes(string json, string where)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{where}: attributes must be a JSON object.");
        }

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            attributes[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
        }

        return attributes;
    }

    private async ValueTask<AclSnapshot> GetRulesAsync(CancellationToken cancellationToken)
    {
        var snapshot = Volatile.Read(ref _acl);
        if (snapshot is not null && _time.GetTimestamp() < snapshot.ExpiresAt)
        {
            return snapshot;
        }

        Task<AclSnapshot> load;
        lock (_aclGate)
        {
            snapshot = _acl;
            if (snapshot is not null && _time.GetTimestamp() < snapshot.ExpiresAt)
            {
                return snapshot;
            }

            // One reload at a time; checks that arrive meanwhile wait for it.
            if (_aclLoad is not { IsCompleted: false })
            {
                _aclLoad = LoadRulesAsync();
            }

            load = _aclLoad;
        }

        return await load.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<AclSnapshot> LoadRulesAsync()
    {
        // Off the caller's stack, so the lock above is never held across the query.
        await Task.Yield();
        Interlocked.Increment(ref _queries);
        var rules = new List<AclRule>();
        string? error = null;
        await using (var command = _dataSource.CreateCommand(AclQuery))
        await using (var reader = await command.ExecuteReaderAsync().ConfigureAwait(false))
        {
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                var id = reader.GetInt64(0);
                var created = AclRuleParser.TryCreate(
                    rules.Count,
                    reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetFieldValue<string[]>(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6),
                    reader.IsDBNull(7) ? null : reader.GetFieldValue<string[]>(7),
                    reader.IsDBNull(8) ? null : Array.ConvertAll(reader.GetFieldValue<short[]>(8), level => (int)level),
                    reader.IsDBNull(9) ? null : reader.GetBoolean(9),
                    out var rule,
                    out var ruleError);
                if (!created)
                {
                    // One unusable rule could be a deny that no longer holds: every check fails until it is fixed.
                    error ??= $"bifro_auth_acl row id {id}: {ruleError}";
                    continue;
                }

                rules.Add(rule!);
            }
        }

        if (error is not null)
        {
            LogBadAcl(_logger, error);
        }

        var expiresAt = _time.GetTimestamp() + (long)(_options.CacheTtl.TotalSeconds * _time.TimestampFrequency);
        var snapshot = error is null ? new AclSnapshot(rules.ToArray(), null, expiresAt) : new AclSnapshot(null, "The ACL rules cannot be used: " + error, expiresAt);
        Volatile.Write(ref _acl, snapshot);
        return snapshot;
    }

    [LoggerMessage(1, LogLevel.Error, "The postgres auth provider cannot use its ACL rules; every permission check is denied until they are fixed: {Error}")]
    private static partial void LogBadAcl(ILogger logger, string error);

    /// <summary>The rule list as last read, or why it cannot be used; both are reused until <see cref="ExpiresAt"/>.</summary>
    private sealed record AclSnapshot(AclRule[]? Rules, string? Error, long ExpiresAt);
}
