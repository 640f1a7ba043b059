namespace Bifro.Grains.Authorization.Providers.Http;

/// <summary>A 5.0 CONNECT User Property.</summary>
internal sealed class HttpUserProperty
{
    public string Name { get; set; } = string.Empty;

    public string Value { get; set; } = string.Empty;
}
