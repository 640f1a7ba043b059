namespace Bifro.Grains.Authorization.Providers.Http;

/// <summary>POSTed to Bifro:Auth:Http:AuthenticateUrl for every CONNECT (README.md, "The http provider").</summary>
internal sealed record HttpAuthenticateRequest
{
    public int ProtocolVersion { get; set; }

    public string? Username { get; set; }

    /// <summary>The password as UTF-8 text, when it is valid UTF-8.</summary>
    public string? Password { get; set; }

    /// <summary>The password bytes, base64, whenever there is a password.</summary>
    public string? PasswordBase64 { get; set; }

    public string ClientId { get; set; } = string.Empty;

    public string Listener { get; set; } = string.Empty;

    public string? RemoteAddress { get; set; }

    public int RemotePort { get; set; }

    /// <summary>The client certificate (leaf, validated by the listener), DER in base64.</summary>
    public string? Certificate { get; set; }

    public string? CertificateSubject { get; set; }

    public string? CertificateFingerprint { get; set; }

    public List<HttpUserProperty>? UserProperties { get; set; }
}
