using System.Globalization;
using System.Net;
using Bifro.Grains;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Packets;
using Bifro.MqttEdge.Codec.Properties;
using Bifro.MqttEdge.Delivery;

namespace Bifro.MqttEdge.Connection;

/// <summary>
/// Authentication (ARCHITECTURE.md, flow 1: "auth provider"): CONNECT credentials, the 5.0 AUTH exchange
/// of enhanced authentication, and re-authentication. A refused CONNECT is answered after a random delay.
/// </summary>
internal sealed partial class MqttConnection
{
    private AuthExchange? _authExchange;

    /// <summary>The CONNECT's authentication request, without the password, which re-authentication starts from.</summary>
    private AuthRequest? _authRequest;

    /// <summary>5.0 enhanced authentication: the CONNECT's Authentication Method, which every AUTH must repeat.</summary>
    private string? _authMethod;

    /// <summary>CONNECT: asks the provider; Ok goes on to the session, Continue to the AUTH exchange, anything else refuses.</summary>
    private async ValueTask<bool> AuthenticateConnectAsync(PendingConnect pending)
    {
        var connect = pending.Connect;
        _authMethod = _version == ProtocolVersion.Mqtt500 ? connect.AuthenticationMethod : null;
        // The listener's view: its name, the client's address after the PROXY protocol, and the client
        // certificate only once the TLS handshake validated it.
        var endpoint = ClientEndpointInfo;
        var remote = endpoint.RemoteEndPoint as IPEndPoint;
        var request = new AuthRequest
        {
            ProtocolVersion = (byte)_version,
            Username = connect.UserName,
            Password = connect.Password,
            ClientId = pending.ClientId,
            ClientCertificate = endpoint.ClientCertificate?.RawData,
            ClientCertificateChain = endpoint.ClientCertificateChain ?? [],
            ListenerName = endpoint.ListenerName,
            RemoteAddress = remote?.Address.ToString(),
            RemotePort = remote?.Port ?? 0,
            UserProperties = ToPairs(connect.UserProperties),
            AuthenticationMethod = _authMethod,
            AuthenticationData = _authMethod is null ? null : connect.AuthenticationData,
            ConnectionId = ConnectionId,
        };

        // Kept for re-authentication and for ClientInfo, without the password.
        _authRequest = CopyOf(request, password: null, authenticationData: null, isReAuthentication: false, request.UserProperties);
        var result = await _edge.Auth.AuthenticateAsync(request).ConfigureAwait(false);
        _edge.Metrics.OnAuthenticated(result);
        return await OnConnectAuthenticatedAsync(pending, request, result).ConfigureAwait(false);
    }

    private async ValueTask<bool> OnConnectAuthenticatedAsync(PendingConnect pending, AuthRequest request, AuthResult result)
    {
        switch (result.Kind)
        {
            case AuthResultKind.Ok:
                _authExchange = null;
                return await CompleteConnectAsync(pending, result).ConfigureAwait(false);
            case AuthResultKind.Continue when _authMethod is not null:
                // [MQTT-4.12.0-2] The server continues with AUTH 0x18; the client answers with AUTH 0x18 [MQTT-4.12.0-3].
                _authExchange = new AuthExchange(pending, request, result.State, IsReAuthentication: false);
                lock (_sync)
                {
                    if (_phase == ConnectionPhase.Connecting)
                    {
                        _phase = ConnectionPhase.Authenticating;
                    }
                }

                SendAuth(ReasonCode.ContinueAuthentication, result);
                return true;
            case AuthResultKind.Continue:
                // Only a 5.0 CONNECT with an Authentication Method can take another step: the provider erred.
                LogAuthContinueWithoutMethod(_edge.Logger, pending.ClientId, RemoteEndPoint);
                await RefuseAuthenticationAsync(pending.ClientId, AuthResult.Reject(AuthRejectCode.Error, "The authentication provider asked for a step the client cannot take.")).ConfigureAwait(false);
                return false;
            default:
                await RefuseAuthenticationAsync(pending.ClientId, result).ConfigureAwait(false);
                return false;
        }
    }

    /// <summary>AUTH from the client: the next step of the CONNECT exchange, or a re-authentication (5.0 only).</summary>
    private ValueTask<bool> HandleAuth(byte flags, ReadOnlySpan<byte> body)
    {
        if (!AuthPacket.TryRead(flags, body, _version, out var packet, out var error))
        {
            return new ValueTask<bool>(ProtocolViolation(error));
        }

        if (_authMethod is null)
        {
            // [MQTT-4.12.0-7] A client whose CONNECT named no Authentication Method sends no AUTH.
            return new ValueTask<bool>(ProtocolViolation(ReasonCode.ProtocolError, "MQTT-4.12.0-7", "AUTH without enhanced authentication"));
        }

        if (!string.Equals(packet!.AuthenticationMethod, _authMethod, StringComparison.Ordinal))
        {
            // [MQTT-4.12.0-5] Every AUTH carries the CONNECT's Authentication Method.
            return new ValueTask<bool>(ProtocolViolation(ReasonCode.ProtocolError, "MQTT-4.12.0-5", "AUTH with another Authentication Method"));
        }

        var exchange = _authExchange;
        if (packet.ReasonCode == ReasonCode.ContinueAuthentication && exchange is not null)
        {
            return ContinueExchangeAsync(exchange, packet);
        }

        if (packet.ReasonCode == ReasonCode.ReAuthenticate && _phase == ConnectionPhase.Connected && exchange is null)
        {
            return StartReAuthenticationAsync(packet);
        }

        return new ValueTask<bool>(ProtocolViolation(ReasonCode.ProtocolError, "MQTT-4.12.1-1", $"AUTH {(byte)packet.ReasonCode:X2} out of turn"));
    }

    private async ValueTask<bool> ContinueExchangeAsync(AuthExchange exchange, AuthPacket packet)
    {
        var result = await _edge.Auth.ContinueAuthenticationAsync(new AuthContinuation
        {
            Request = exchange.Request,
            AuthenticationMethod = _authMethod!,
            AuthenticationData = packet.AuthenticationData,
            UserProperties = ToPairs(packet.UserProperties),
            State = exchange.State,
            Client = exchange.IsReAuthentication ? _client : null,
        }).ConfigureAwait(false);

        if (!exchange.IsReAuthentication)
        {
            return await OnConnectAuthenticatedAsync(exchange.Pending!, exchange.Request, result).ConfigureAwait(false);
        }

        return OnReAuthenticated(exchange, result);
    }

    /// <summary>[MQTT-4.12.1-1] AUTH 0x19 on an open connection starts a new exchange with the same method.</summary>
    private async ValueTask<bool> StartReAuthenticationAsync(AuthPacket packet)
    {
        var request = CopyOf(_authRequest!, password: null, packet.AuthenticationData, isReAuthentication: true, ToPairs(packet.UserProperties));
        var result = await _edge.Auth.AuthenticateAsync(request).ConfigureAwait(false);
        return OnReAuthenticated(new AuthExchange(null, request, null, IsReAuthentication: true), result);
    }

    private bool OnReAuthenticated(AuthExchange exchange, AuthResult result)
    {
        switch (result.Kind)
        {
            case AuthResultKind.Continue:
                _authExchange = exchange with { State = result.State };
                SendAuth(ReasonCode.ContinueAuthentication, result);
                return true;
            case AuthResultKind.Ok when string.Equals(result.TenantId, _client!.TenantId, StringComparison.Ordinal)
                && string.Equals(result.UserId, _client.UserId, StringComparison.Ordinal):
                _authExchange = null;

                // New credentials may carry other rights: decisions are asked again.
                _client = CreateClientInfo(_client.TenantId, _client.UserId, _client.ClientId, result.Attributes);
                _decisions?.Clear();
                SendAuth(ReasonCode.Success, result);
                return true;
            default:
                _authExchange = null;
                var code = result.Kind == AuthResultKind.Rejected && result.RejectCode == AuthRejectCode.BadAuthenticationMethod
                    ? ReasonCode.BadAuthenticationMethod
                    : ReasonCode.NotAuthorized;
                LogReAuthenticationFailed(_edge.Logger, SessionKey, result.ToString());
                SetCloseCause(EventType.ReAuthFailed, code, result.Kind == AuthResultKind.Ok ? "Re-authentication named another user." : result.Reason ?? "Re-authentication failed.");
                Close(code, result.Kind == AuthResultKind.Ok ? "Re-authentication named another user." : "Re-authentication failed.", DetachReason.Abnormal);
                return false;
        }
    }

    private void SendAuth(ReasonCode code, AuthResult result) => EnqueueControl(new OutboundEntry
    {
        Kind = OutboundKind.Packet,
        Packet = new AuthPacket
        {
            ReasonCode = code,
            AuthenticationMethod = _authMethod,
            AuthenticationData = result.AuthenticationData,
            UserProperties = ToUserProperties(result.UserProperties),
        },
    });

    /// <summary>
    /// A refused authentication: after a random delay (Bifro:Auth:FailedConnectDelayMin/Max, which slows
    /// down guessing and reconnect storms), CONNACK with the mapped code, then close.
    /// </summary>
    private async Task RefuseAuthenticationAsync(string clientId, AuthResult result)
    {
        var code = ConnAckCodeOf(result);
        LogAuthenticationFailed(_edge.Logger, clientId, RemoteEndPoint, result.ToString());
        await DelayFailedConnectAsync().ConfigureAwait(false);
        var refusal = result.Kind switch
        {
            AuthResultKind.Banned => EventType.Banned,
            AuthResultKind.Rejected when result.RejectCode == AuthRejectCode.BadUserNameOrPassword => EventType.Unauthenticated,
            AuthResultKind.Rejected when result.RejectCode == AuthRejectCode.NotAuthorized => EventType.NotAuthorized,
            _ => EventType.AuthError,
        };
        RefuseConnect(refusal, _version, code, ReasonStringOf(code), ToUserProperties(result.UserProperties), reasonForEvent: result.Reason ?? ReasonStringOf(code));
    }

    private async Task DelayFailedConnectAsync()
    {
        var options = _edge.AuthOptions;
        var min = options.FailedConnectDelayMin.Ticks;
        var max = options.FailedConnectDelayMax.Ticks;
        var delay = TimeSpan.FromTicks(max > min ? Random.Shared.NextInt64(min, max + 1) : min);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _edge.Time).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The CONNACK code of a failed authentication (BifroMQ's mapping): 5.0 0x86, 0x87, 0x8A, 0x8C, and 0x80
    /// for a provider error; 3.x gets 4, 5, 5, 5 and 3 (<see cref="ConnAckPacket.ToReturnCode"/>).
    /// </summary>
    internal static ReasonCode ConnAckCodeOf(AuthResult result) => result.Kind switch
    {
        AuthResultKind.Banned => ReasonCode.Banned,
        AuthResultKind.Rejected => result.RejectCode switch
        {
            AuthRejectCode.BadUserNameOrPassword => ReasonCode.BadUserNameOrPassword,
            AuthRejectCode.NotAuthorized => ReasonCode.NotAuthorized,
            AuthRejectCode.BadAuthenticationMethod => ReasonCode.BadAuthenticationMethod,
            _ => ReasonCode.UnspecifiedError,
        },
        _ => ReasonCode.UnspecifiedError,
    };

    // The provider's own reason stays in the log: a client learns only the reason code's meaning.
    private static string ReasonStringOf(ReasonCode code) => code switch
    {
        ReasonCode.BadUserNameOrPassword => "Bad user name or password.",
        ReasonCode.NotAuthorized => "Not authorized.",
        ReasonCode.Banned => "Banned.",
        ReasonCode.BadAuthenticationMethod => "Bad authentication method.",
        _ => "Authentication failed.",
    };

    private ClientInfo CreateClientInfo(string tenantId, string userId, string clientId, Dictionary<string, string>? attributes)
    {
        var request = _authRequest!;
        string? subject = null;
        string? fingerprint = null;
        if (request.LoadClientCertificate() is { } certificate)
        {
            using (certificate)
            {
                subject = certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, forIssuer: false);
                fingerprint = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(request.ClientCertificate!));
            }
        }

        return new ClientInfo
        {
            TenantId = tenantId,
            UserId = userId,
            ClientId = clientId,
            ListenerName = request.ListenerName,
            RemoteAddress = request.RemoteAddress,
            RemotePort = request.RemotePort,
            CertificateSubject = string.IsNullOrEmpty(subject) ? null : subject,
            CertificateFingerprint = fingerprint,
            ProtocolVersion = request.ProtocolVersion,
            Attributes = attributes,
            ConnectionId = request.ConnectionId,
        };
    }

    private string ConnectionId => _edge.Node.Id + "/" + Id.ToString(CultureInfo.InvariantCulture);

    private static AuthRequest CopyOf(AuthRequest request, byte[]? password, byte[]? authenticationData, bool isReAuthentication, KeyValuePair<string, string>[] userProperties) => new()
    {
        ProtocolVersion = request.ProtocolVersion,
        Username = request.Username,
        Password = password,
        ClientId = request.ClientId,
        ClientCertificate = request.ClientCertificate,
        ClientCertificateChain = request.ClientCertificateChain,
        ListenerName = request.ListenerName,
        RemoteAddress = request.RemoteAddress,
        RemotePort = request.RemotePort,
        UserProperties = userProperties,
        AuthenticationMethod = request.AuthenticationMethod,
        AuthenticationData = authenticationData,
        IsReAuthentication = isReAuthentication,
        ConnectionId = request.ConnectionId,
    };

    private static KeyValuePair<string, string>[] ToPairs(List<UserProperty>? properties)
    {
        if (properties is not { Count: > 0 })
        {
            return [];
        }

        var pairs = new KeyValuePair<string, string>[properties.Count];
        for (var i = 0; i < pairs.Length; i++)
        {
            pairs[i] = new KeyValuePair<string, string>(properties[i].Name, properties[i].Value);
        }

        return pairs;
    }

    private static List<UserProperty>? ToUserProperties(KeyValuePair<string, string>[]? pairs)
    {
        if (pairs is not { Length: > 0 })
        {
            return null;
        }

        var properties = new List<UserProperty>(pairs.Length);
        foreach (var (name, value) in pairs)
        {
            properties.Add(new UserProperty(name, value));
        }

        return properties;
    }

    /// <summary>A CONNECT that passed validation, waiting for its authentication to finish.</summary>
    private sealed record PendingConnect(ConnectPacket Connect, string ClientId, string? AssignedClientId, uint RequestedExpiry);

    /// <summary>An enhanced authentication exchange in progress: for CONNECT (with its pending CONNECT) or a re-authentication.</summary>
    private sealed record AuthExchange(PendingConnect? Pending, AuthRequest Request, object? State, bool IsReAuthentication);
}
