using System.Security.Cryptography;
using System.Text;
using Bifro.Configuration;

namespace Bifro.Grains.Authorization.Providers.Scram;

/// <summary>
/// Bifro:Auth:Provider = "scram": MQTT 5.0 enhanced authentication with Authentication Method "SCRAM-SHA-256"
/// (RFC 5802, RFC 7677) over the users of the file or postgres provider (Bifro:Auth:Scram:Store), whose
/// ACL rules then authorize. The password never crosses the network, and the server keeps only salted keys.
/// CONNECT without a method goes to the store's own password and certificate check, unless
/// Bifro:Auth:Scram:AllowPlainPassword is false. Re-authentication (AUTH 0x19) runs the same exchange.
/// </summary>
/// <remarks>
/// An unknown user (or one without SCRAM credentials) gets a server-first-message like anyone else's, with a
/// salt derived from its name and a key that lives as long as the node, and fails only at the proof: the
/// exchange does not tell which user names exist (RFC 5802 §9).
/// </remarks>
internal sealed class ScramAuthProvider : IAuthProvider
{
    public const string Name = "scram";

    private readonly IAuthProvider _store;
    private readonly IUserStore _users;
    private readonly bool _allowPlainPassword;
    private readonly byte[] _unknownUserKey = RandomNumberGenerator.GetBytes(32);

    public ScramAuthProvider(IAuthProvider store, IUserStore users, ScramAuthOptions options)
    {
        _store = store;
        _users = users;
        _allowPlainPassword = options.AllowPlainPassword;
    }

    /// <summary>The file or postgres provider underneath.</summary>
    public IAuthProvider Store => _store;

    public async ValueTask<AuthResult> AuthenticateAsync(AuthRequest request, CancellationToken cancellationToken)
    {
        if (request.AuthenticationMethod is null)
        {
            return _allowPlainPassword
                ? await _store.AuthenticateAsync(request, cancellationToken).ConfigureAwait(false)
                : AuthResult.Reject(AuthRejectCode.NotAuthorized, $"Only {ScramSha256.Mechanism} enhanced authentication is allowed.");
        }

        if (!string.Equals(request.AuthenticationMethod, ScramSha256.Mechanism, StringComparison.Ordinal))
        {
            return AuthResult.Reject(AuthRejectCode.BadAuthenticationMethod, $"Authentication method '{request.AuthenticationMethod}' is not supported; use {ScramSha256.Mechanism}.");
        }

        if (!ScramExchange.TryParseClientFirst(request.AuthenticationData ?? [], out var gs2Header, out var username, out var clientNonce, out var bare, out var error))
        {
            return AuthResult.Reject(AuthRejectCode.NotAuthorized, error);
        }

        if (request.Username is { } named && !string.Equals(named, username, StringComparison.Ordinal))
        {
            return AuthResult.Reject(AuthRejectCode.NotAuthorized, "The CONNECT User Name and the SCRAM user name differ.");
        }

        var user = await _users.FindUserAsync(username, cancellationToken).ConfigureAwait(false);
        var known = user?.Scram is not null;
        var credential = user?.Scram ?? UnknownUserCredential(username);
        var exchange = ScramExchange.Start(gs2Header, username, clientNonce, bare, credential);
        return AuthResult.Continue(Encoding.UTF8.GetBytes(exchange.ServerFirst), new State(exchange, known ? user : null));
    }

    public ValueTask<AuthResult> ContinueAuthenticationAsync(AuthContinuation continuation, CancellationToken cancellationToken)
    {
        if (continuation.State is not State { Exchange: var exchange, User: var user })
        {
            return ValueTask.FromResult(AuthResult.Reject(AuthRejectCode.Error, "The SCRAM exchange lost its state."));
        }

        if (!exchange.TryFinish(continuation.AuthenticationData ?? [], out var serverFinal, out var error))
        {
            // A wrong password and a malformed message look the same to the client: bad user name or password.
            return ValueTask.FromResult(AuthResult.Reject(AuthRejectCode.BadUserNameOrPassword, "SCRAM: " + error));
        }

        return ValueTask.FromResult(user is null
            ? AuthResult.Reject(AuthRejectCode.BadUserNameOrPassword, "SCRAM: unknown user.")
            : AuthResult.Ok(user.Tenant, user.Name, user.Attributes, Encoding.UTF8.GetBytes(serverFinal)));
    }

    public ValueTask<CheckResult> CheckPermissionAsync(ClientInfo client, MqttAction action, CancellationToken cancellationToken) =>
        _store.CheckPermissionAsync(client, action, cancellationToken);

    /// <summary>A stable made-up credential: the same salt for the same unknown name on this node, and keys nobody can match.</summary>
    private ScramCredential UnknownUserCredential(string username)
    {
        var salt = HMACSHA256.HashData(_unknownUserKey, Encoding.UTF8.GetBytes(username))[..ScramSha256.SaltBytes];
        return new ScramCredential(ScramSha256.DefaultIterations, salt, RandomNumberGenerator.GetBytes(ScramSha256.KeyBytes), RandomNumberGenerator.GetBytes(ScramSha256.KeyBytes));
    }

    /// <summary>What the connection keeps between the two steps.</summary>
    private sealed record State(ScramExchange Exchange, UserRecord? User);
}
