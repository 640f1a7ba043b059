namespace Bifro.Grains;

/// <summary>The client's next AUTH packet in an enhanced authentication exchange (5.0 only).</summary>
public sealed class AuthContinuation
{
    /// <summary>The request that started the exchange (CONNECT, or AUTH 0x19 for a re-authentication).</summary>
    public required AuthRequest Request { get; init; }

    /// <summary>The Authentication Method, the same as the exchange's [MQTT-4.12.0-5].</summary>
    public required string AuthenticationMethod { get; init; }

    /// <summary>The client's Authentication Data in this AUTH packet.</summary>
    public byte[]? AuthenticationData { get; init; }

    /// <summary>User Properties of this AUTH packet.</summary>
    public KeyValuePair<string, string>[] UserProperties { get; init; } = [];

    /// <summary>What the provider's previous step returned in <see cref="AuthResult.State"/>; the connection keeps it between steps.</summary>
    public object? State { get; init; }

    /// <summary>The client as authenticated so far, for a re-authentication; null during CONNECT.</summary>
    public ClientInfo? Client { get; init; }
}
