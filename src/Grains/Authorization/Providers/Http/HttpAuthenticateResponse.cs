namespace Bifro.Grains.Authorization.Providers.Http;

/// <summary>The answer to <see cref="HttpAuthenticateRequest"/>.</summary>
internal sealed class HttpAuthenticateResponse
{
    /// <summary>"ok", "bad_credentials", "not_authorized" or "banned"; anything else is an error.</summary>
    public string? Result { get; set; }

    /// <summary>Ok: the tenant ("default" when absent).</summary>
    public string? Tenant { get; set; }

    /// <summary>Ok: the user id (the request's user name when absent).</summary>
    public string? User { get; set; }

    public Dictionary<string, string>? Attributes { get; set; }

    /// <summary>Logged; never sent to the client.</summary>
    public string? Reason { get; set; }
}
