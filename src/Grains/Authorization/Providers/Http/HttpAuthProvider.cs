using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using Bifro.Configuration;

namespace Bifro.Grains.Authorization.Providers.Http;

/// <summary>
/// Bifro:Auth:Provider = "http": every CONNECT and every permission check that no cache answers is POSTed as
/// JSON to a configured URL (contract in README.md). Answers are cached by a SHA-256 of the request (which
/// includes the password, so no password is kept): allow answers for Bifro:Auth:Http:CacheTtl, refusals for
/// NegativeCacheTtl. Fail closed: an error status, a bad answer, a refused connection or a request past
/// RequestTimeout throws <see cref="HttpAuthException"/>, which the guard logs and turns into a denial;
/// errors are never cached.
/// </summary>
internal sealed class HttpAuthProvider : IAuthProvider, IDisposable
{
    public const string Name = "http";

    private readonly HttpAuthOptions _options;
    private readonly HttpClient _http;
    private readonly Uri _authenticateUrl;
    private readonly Uri _checkUrl;
    private readonly TtlCache<string, AuthResult> _authentications;
    private readonly TtlCache<string, CheckResult> _checks;
    private long _requests;

    public HttpAuthProvider(HttpAuthOptions options, TimeProvider time, HttpMessageHandler? handler = null)
    {
        _options = options;
        _authenticateUrl = new Uri(options.AuthenticateUrl!, UriKind.Absolute);
        _checkUrl = new Uri(options.CheckPermissionUrl!, UriKind.Absolute);
        handler ??= new SocketsHttpHandler
        {
            ConnectTimeout = options.RequestTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),

            // A redirect is an answer we do not understand (and would re-send credentials elsewhere): an error.
            AllowAutoRedirect = false,
        };

        // The per-request timeout is ours (a linked token), so that it holds however the handler is made.
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        foreach (var (name, value) in options.Headers)
        {
            _http.DefaultRequestHeaders.TryAddWithoutValidation(name, value);
        }

        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _authentications = new TtlCache<string, AuthResult>(options.CacheSize, time, StringComparer.Ordinal);
        _checks = new TtlCache<string, CheckResult>(options.CacheSize, time, StringComparer.Ordinal);
    }

    /// <summary>Requests sent so far (for tests and diagnostics).</summary>
    public long RequestCount => Interlocked.Read(ref _requests);

    public string Describe() => $"authenticate {_authenticateUrl}, check {_checkUrl}";

    public async ValueTask<AuthResult> AuthenticateAsync(AuthRequest request, CancellationToken cancellationToken)
    {
        if (request.AuthenticationMethod is not null)
        {
            return AuthResult.Reject(AuthRejectCode.BadAuthenticationMethod, $"Authentication method '{request.AuthenticationMethod}' is not supported.");
        }

        var body = ToJson(request);
        var key = CacheKey(body with { RemotePort = 0 }, HttpAuthJsonContext.Default.HttpAuthenticateRequest);
        if (_authentications.TryGet(key, out var cached))
        {
            return cached;
        }

        var response = await PostAsync(_authenticateUrl, body, HttpAuthJsonContext.Default.HttpAuthenticateRequest, HttpAuthJsonContext.Default.HttpAuthenticateResponse, cancellationToken).ConfigureAwait(false);
        AuthResult result;
        switch (response.Result)
        {
            case "ok":
                var tenant = response.Tenant ?? SessionKey.DefaultTenant;
                var user = response.User ?? request.Username
                    ?? throw new HttpAuthException($"{_authenticateUrl} answered ok without a user, and the client gave no user name.");
                result = AuthResult.Ok(tenant, user, response.Attributes);
                _authentications.Set(key, result, _options.CacheTtl);
                return result;
            case "bad_credentials":
                result = AuthResult.Reject(AuthRejectCode.BadUserNameOrPassword, response.Reason ?? "Bad user name or password.");
                break;
            case "not_authorized":
                result = AuthResult.Reject(AuthRejectCode.NotAuthorized, response.Reason ?? "Not authorized.");
                break;
            case "banned":
                result = AuthResult.Banned(response.Reason);
                break;
            default:
                throw new HttpAuthException($"{_authenticateUrl} answered result '{response.Result}', which is not ok, bad_credentials, not_authorized or banned.");
        }

        _authentications.Set(key, result, _options.NegativeCacheTtl);
        return result;
    }

    public async ValueTask<CheckResult> CheckPermissionAsync(ClientInfo client, MqttAction action, CancellationToken cancellationToken)
    {
        var body = ToJson(client, action);
        var key = CacheKey(body with { RemotePort = 0 }, HttpAuthJsonContext.Default.HttpCheckRequest);
        if (_checks.TryGet(key, out var cached))
        {
            return cached;
        }

        var response = await PostAsync(_checkUrl, body, HttpAuthJsonContext.Default.HttpCheckRequest, HttpAuthJsonContext.Default.HttpCheckResponse, cancellationToken).ConfigureAwait(false);
        switch (response.Result)
        {
            case "granted":
                _checks.Set(key, CheckResult.Granted, _options.CacheTtl);
                return CheckResult.Granted;
            case "denied":
                var denied = CheckResult.Denied(response.Reason);
                _checks.Set(key, denied, _options.NegativeCacheTtl);
                return denied;
            default:
                throw new HttpAuthException($"{_checkUrl} answered result '{response.Result}', which is not granted or denied.");
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<TResponse> PostAsync<TRequest, TResponse>(
        Uri url, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
        where TResponse : class
    {
        Interlocked.Increment(ref _requests);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, requestType));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            using var response = await _http.PostAsync(url, content, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpAuthException($"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            var answer = await response.Content.ReadFromJsonAsync(responseType, timeout.Token).ConfigureAwait(false);
            return answer ?? throw new HttpAuthException($"{url} answered null.");
        }
        catch (OperationCanceledException exception) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new HttpAuthException($"{url} did not answer within {_options.RequestTimeout}.", exception);
        }
        catch (JsonException exception)
        {
            throw new HttpAuthException($"{url} answered something that is not the expected JSON: {exception.Message}", exception);
        }
        catch (HttpRequestException exception)
        {
            throw new HttpAuthException($"{url} could not be reached: {exception.Message}", exception);
        }
    }

    private static string CacheKey<T>(T body, JsonTypeInfo<T> type) =>
        Convert.ToBase64String(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(body, type)));

    private static HttpAuthenticateRequest ToJson(AuthRequest request)
    {
        string? subject = null;
        string? fingerprint = null;
        if (request.LoadClientCertificate() is { } certificate)
        {
            using (certificate)
            {
                subject = CertificateIdentity.CommonName(certificate);
                fingerprint = CertificateIdentity.Fingerprint(request.ClientCertificate!);
            }
        }

        List<HttpUserProperty>? properties = null;
        foreach (var (name, value) in request.UserProperties)
        {
            (properties ??= []).Add(new HttpUserProperty { Name = name, Value = value });
        }

        return new HttpAuthenticateRequest
        {
            ProtocolVersion = request.ProtocolVersion,
            Username = request.Username,
            Password = request.Password is { } text && IsUtf8(text) ? Encoding.UTF8.GetString(text) : null,
            PasswordBase64 = request.Password is { } bytes ? Convert.ToBase64String(bytes) : null,
            ClientId = request.ClientId,
            Listener = request.ListenerName,
            RemoteAddress = request.RemoteAddress,
            RemotePort = request.RemotePort,
            Certificate = request.ClientCertificate is { Length: > 0 } der ? Convert.ToBase64String(der) : null,
            CertificateSubject = subject,
            CertificateFingerprint = fingerprint,
            UserProperties = properties,
        };
    }

    private static HttpCheckRequest ToJson(ClientInfo client, MqttAction action) => new()
    {
        Tenant = client.TenantId,
        User = client.UserId,
        ClientId = client.ClientId,
        Listener = client.ListenerName,
        RemoteAddress = client.RemoteAddress,
        RemotePort = client.RemotePort,
        ProtocolVersion = client.ProtocolVersion,
        CertificateSubject = client.CertificateSubject,
        CertificateFingerprint = client.CertificateFingerprint,
        Attributes = client.Attributes,
        Action = action.Kind switch
        {
            MqttActionKind.Connect => "connect",
            MqttActionKind.Publish => "publish",
            MqttActionKind.Subscribe => "subscribe",
            _ => "unsubscribe",
        },
        Topic = action.Kind == MqttActionKind.Connect ? null : action.Topic,
        Qos = action.Kind is MqttActionKind.Publish or MqttActionKind.Subscribe ? action.QoS : null,
        Retain = action.Kind == MqttActionKind.Publish ? action.Retain : null,
        ShareGroup = action.ShareGroup,
    };

    private static bool IsUtf8(byte[] bytes) => System.Text.Unicode.Utf8.IsValid(bytes);
}
