namespace Bifro.Grains.Authorization.Providers.Http;

/// <summary>The answer to <see cref="HttpCheckRequest"/>.</summary>
internal sealed class HttpCheckResponse
{
    /// <summary>"granted" or "denied"; anything else is an error.</summary>
    public string? Result { get; set; }

    public string? Reason { get; set; }
}
