using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Bifro.Grains.Authorization.Providers.Scram;

/// <summary>
/// What the server stores for a SCRAM-SHA-256 user, in RFC 5803's text form (which PostgreSQL uses too):
/// <code>SCRAM-SHA-256$&lt;iterations&gt;:&lt;salt, base64&gt;$&lt;StoredKey, base64&gt;:&lt;ServerKey, base64&gt;</code>
/// Made by <c>bifro hash-password --scram</c>. It does not reveal the password, nor let anyone
/// impersonate the user to another server; it does let its holder impersonate the server, so keep it private.
/// </summary>
internal sealed record ScramCredential(int Iterations, byte[] Salt, byte[] StoredKey, byte[] ServerKey)
{
    private const string Prefix = ScramSha256.Mechanism + "$";

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Prefix}{Iterations}:{Convert.ToBase64String(Salt)}${Convert.ToBase64String(StoredKey)}:{Convert.ToBase64String(ServerKey)}");

    /// <summary>Parses the RFC 5803 form; the error says what is wrong.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out ScramCredential? credential, [NotNullWhen(false)] out string? error)
    {
        credential = null;
        if (value is null || !value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            error = $"is not of the form {Prefix}<iterations>:<salt>$<StoredKey>:<ServerKey> (make one with 'bifro hash-password --scram')";
            return false;
        }

        var parts = value[Prefix.Length..].Split('$');
        var first = parts.Length == 2 ? parts[0].Split(':') : [];
        var second = parts.Length == 2 ? parts[1].Split(':') : [];
        if (first.Length != 2 || second.Length != 2)
        {
            error = $"is not of the form {Prefix}<iterations>:<salt>$<StoredKey>:<ServerKey>";
            return false;
        }

        if (!int.TryParse(first[0], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < ScramSha256.MinimumIterations)
        {
            error = $"has iteration count '{first[0]}'; at least {ScramSha256.MinimumIterations} are required (RFC 7677)";
            return false;
        }

        if (!TryDecode(first[1], out var salt) || salt.Length < ScramSha256.SaltBytes)
        {
            error = $"has no salt of at least {ScramSha256.SaltBytes} bytes (base64)";
            return false;
        }

        if (!TryDecode(second[0], out var storedKey) || storedKey.Length != ScramSha256.KeyBytes
            || !TryDecode(second[1], out var serverKey) || serverKey.Length != ScramSha256.KeyBytes)
        {
            error = $"has no {ScramSha256.KeyBytes}-byte StoredKey and ServerKey (base64)";
            return false;
        }

        credential = new ScramCredential(iterations, salt, storedKey, serverKey);
        error = null;
        return true;
    }

    private static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = new byte[(text.Length * 3 / 4) + 3];
        if (Convert.TryFromBase64String(text, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }

        bytes = [];
        return false;
    }
}
