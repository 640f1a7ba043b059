namespace Bifro.Grains;

/// <summary>The outcome of an authentication step.</summary>
public enum AuthResultKind : byte
{
    /// <summary>Authenticated: the result names the tenant and the user.</summary>
    Ok = 0,

    /// <summary>Refused, for <see cref="AuthResult.RejectCode"/>.</summary>
    Rejected = 1,

    /// <summary>The client is banned: 5.0 CONNACK 0x8A (3.x: 5).</summary>
    Banned = 2,

    /// <summary>Enhanced authentication goes on: the server's Authentication Data goes to the client in AUTH 0x18.</summary>
    Continue = 3,
}
