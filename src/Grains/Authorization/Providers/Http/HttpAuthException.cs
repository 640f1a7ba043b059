namespace Bifro.Grains.Authorization.Providers.Http;

/// <summary>An http auth callout failed (error status, bad answer, timeout); the guard logs it and denies.</summary>
internal sealed class HttpAuthException(string message, Exception? inner = null) : Exception(message, inner);
