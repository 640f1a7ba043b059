namespace Bifro.Grains.Authorization.Providers;

/// <summary>The users and ACL file cannot be used; the message says why and where.</summary>
internal sealed class AuthFileException(string message) : Exception(message);
