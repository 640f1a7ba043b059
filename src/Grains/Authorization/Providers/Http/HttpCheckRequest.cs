namespace Bifro.Grains.Authorization.Providers.Http;

/// <summary>POSTed to Bifro:Auth:Http:CheckPermissionUrl for a permission check the caches cannot answer.</summary>
internal sealed record HttpCheckRequest
{
    public string Tenant { get; set; } = string.Empty;

    public string User { get; set; } = string.Empty;

    public string ClientId { get; set; } = string.Empty;

    public string Listener { get; set; } = string.Empty;

    public string? RemoteAddress { get; set; }

    public int RemotePort { get; set; }

    public int ProtocolVersion { get; set; }

    public string? CertificateSubject { get; set; }

    public string? CertificateFingerprint { get; set; }

    public Dictionary<string, string>? Attributes { get; set; }

    /// <summary>"connect", "publish", "subscribe" or "unsubscribe".</summary>
    public string Action { get; set; } = string.Empty;

    /// <summary>The topic name (publish) or filter (subscribe, unsubscribe); absent for connect.</summary>
    public string? Topic { get; set; }

    public int? Qos { get; set; }

    public bool? Retain { get; set; }

    /// <summary>The share name of a "$share/{group}/{filter}" subscription.</summary>
    public string? ShareGroup { get; set; }
}
