using System.Net;

namespace Bifro.Grains;

/// <summary>Checks and canonical forms of ban values, so that "10.0.0.1" and "::ffff:10.0.0.1" are one ban.</summary>
public static class BanValues
{
    /// <summary>The canonical form of <paramref name="value"/> for <paramref name="kind"/>; false (with why) when it is not valid.</summary>
    public static bool TryNormalize(BanKind kind, string? value, out string normalized, out string? error)
    {
        normalized = string.Empty;
        error = null;
        if (string.IsNullOrEmpty(value))
        {
            error = "the value is empty";
            return false;
        }

        switch (kind)
        {
            case BanKind.ClientId:
            case BanKind.User:
                normalized = value;
                return true;
            case BanKind.Address:
                if (!TryParseAddress(value, out var address))
                {
                    error = $"'{value}' is not an IP address";
                    return false;
                }

                normalized = address.ToString();
                return true;
            case BanKind.Cidr:
                if (!IPNetwork.TryParse(value, out var network))
                {
                    error = $"'{value}' is not a CIDR prefix such as 203.0.113.0/24";
                    return false;
                }

                normalized = network.ToString();
                return true;
            default:
                error = $"unknown ban kind {kind}";
                return false;
        }
    }

    /// <summary>An address, IPv4-mapped IPv6 addresses as IPv4.</summary>
    public static bool TryParseAddress(string? value, out IPAddress address)
    {
        if (!IPAddress.TryParse(value, out var parsed))
        {
            address = IPAddress.None;
            return false;
        }

        address = parsed.IsIPv4MappedToIPv6 ? parsed.MapToIPv4() : parsed;
        return true;
    }

    /// <summary>The prefix of <paramref name="length"/> bits that holds <paramref name="address"/> ("203.0.113.0/24").</summary>
    public static string PrefixOf(IPAddress address, int length)
    {
        var normalized = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        var bytes = normalized.GetAddressBytes();
        var bits = Math.Clamp(length, 0, bytes.Length * 8);
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(bits - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return $"{new IPAddress(bytes)}/{bits}";
    }
}
