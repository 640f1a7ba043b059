namespace Bifro.Grains;

/// <summary>What a ban matches.</summary>
public enum BanKind
{
    /// <summary>The MQTT client identifier, exactly.</summary>
    ClientId,

    /// <summary>The user: the user id the auth provider named, or, before authentication, the CONNECT user name.</summary>
    User,

    /// <summary>One IP address (after the PROXY protocol).</summary>
    Address,

    /// <summary>An address prefix in CIDR notation ("203.0.113.0/24", "2001:db8::/32").</summary>
    Cidr,
}
