namespace Bifro.Grains;

/// <summary>Why authentication was refused; each maps to a CONNACK reason code (5.0) or return code (3.x).</summary>
public enum AuthRejectCode : byte
{
    /// <summary>Unknown user or wrong password: 5.0 0x86, 3.x 4.</summary>
    BadUserNameOrPassword = 0,

    /// <summary>Known but not allowed (or no credentials at all): 5.0 0x87, 3.x 5.</summary>
    NotAuthorized = 1,

    /// <summary>The Authentication Method is not supported: 5.0 0x8C, 3.x 5.</summary>
    BadAuthenticationMethod = 2,

    /// <summary>The provider could not decide (its store is down, it timed out, it threw): 5.0 0x80, 3.x 3. Fail closed.</summary>
    Error = 3,
}
