using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Bifro.Grains.Authorization.Providers.Scram;

/// <summary>
/// The server side of one SCRAM-SHA-256 exchange (RFC 5802 §5), as MQTT 5.0 enhanced authentication carries it:
/// <code>
/// CONNECT  Authentication Data: client-first-message    n,,n=user,r=cnonce
/// AUTH 18  Authentication Data: server-first-message    r=cnonce+snonce,s=salt,i=4096
/// AUTH 18  Authentication Data: client-final-message    c=biws,r=cnonce+snonce,p=proof
/// CONNACK  Authentication Data: server-final-message    v=signature
/// </code>
/// Channel binding is not offered (no -PLUS mechanism): gs2 flags "n" and "y" are accepted, "p" refused.
/// </summary>
internal sealed class ScramExchange
{
    private static readonly UTF8Encoding s_strictUtf8 = new(false, throwOnInvalidBytes: true);

    private ScramExchange(string gs2Header, string username, string clientFirstBare, string serverFirst, string nonce, ScramCredential credential)
    {
        Gs2Header = gs2Header;
        Username = username;
        ClientFirstBare = clientFirstBare;
        ServerFirst = serverFirst;
        Nonce = nonce;
        Credential = credential;
    }

    /// <summary>The gs2 header ("n,," or "y,,"), which the client-final-message's channel binding must repeat.</summary>
    public string Gs2Header { get; }

    /// <summary>The user name from the client-first-message, unescaped ("=2C" → ",", "=3D" → "=").</summary>
    public string Username { get; }

    public string ClientFirstBare { get; }

    public string ServerFirst { get; }

    /// <summary>The client's nonce followed by the server's.</summary>
    public string Nonce { get; }

    public ScramCredential Credential { get; }

    /// <summary>Parses a client-first-message: its gs2 header, user name and nonce.</summary>
    public static bool TryParseClientFirst(
        ReadOnlySpan<byte> data, [NotNullWhen(true)] out string? gs2Header, [NotNullWhen(true)] out string? username,
        [NotNullWhen(true)] out string? clientNonce, [NotNullWhen(true)] out string? bare, [NotNullWhen(false)] out string? error)
    {
        gs2Header = username = clientNonce = bare = null;
        if (!TryDecode(data, out var text))
        {
            error = "The client-first-message is not UTF-8.";
            return false;
        }

        // gs2-header = gs2-cbind-flag "," [ authzid ] ","
        var firstComma = text.IndexOf(',', StringComparison.Ordinal);
        var secondComma = firstComma < 0 ? -1 : text.IndexOf(',', firstComma + 1);
        if (secondComma < 0)
        {
            error = "The client-first-message has no gs2 header.";
            return false;
        }

        var flag = text[..firstComma];
        if (flag.StartsWith("p=", StringComparison.Ordinal))
        {
            error = "Channel binding is not supported (use SCRAM-SHA-256, not SCRAM-SHA-256-PLUS).";
            return false;
        }

        if (flag is not ("n" or "y"))
        {
            error = "The gs2-cbind-flag must be 'n' or 'y'.";
            return false;
        }

        var authzid = text[(firstComma + 1)..secondComma];
        gs2Header = text[..(secondComma + 1)];
        bare = text[(secondComma + 1)..];

        // client-first-message-bare = [reserved-mext ","] username "," nonce ["," extensions]
        var attributes = bare.Split(',');
        if (attributes.Length < 2 || attributes[0].StartsWith("m=", StringComparison.Ordinal))
        {
            error = attributes.Length >= 1 && attributes[0].StartsWith("m=", StringComparison.Ordinal)
                ? "Mandatory extensions (m=) are not supported."
                : "The client-first-message-bare needs n= and r=.";
            return false;
        }

        if (!attributes[0].StartsWith("n=", StringComparison.Ordinal) || !TryUnescape(attributes[0][2..], out username) || username.Length == 0)
        {
            error = "The client-first-message has no valid user name (n=).";
            return false;
        }

        if (authzid.Length > 0 && (!authzid.StartsWith("a=", StringComparison.Ordinal) || !TryUnescape(authzid[2..], out var authorizationId) || authorizationId != username))
        {
            error = "An authorization identity other than the user is not supported.";
            return false;
        }

        if (!attributes[1].StartsWith("r=", StringComparison.Ordinal) || attributes[1].Length == 2 || !IsPrintable(attributes[1].AsSpan(2)))
        {
            error = "The client-first-message has no valid nonce (r=).";
            return false;
        }

        clientNonce = attributes[1][2..];
        error = null;
        return true;
    }

    /// <summary>Starts the exchange: a server nonce is drawn and the server-first-message made.</summary>
    public static ScramExchange Start(string gs2Header, string username, string clientNonce, string clientFirstBare, ScramCredential credential, string? serverNonce = null)
    {
        // A printable nonce without ',': base64 of 18 random bytes has neither padding nor commas.
        serverNonce ??= Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        var nonce = clientNonce + serverNonce;
        var serverFirst = $"r={nonce},s={Convert.ToBase64String(credential.Salt)},i={credential.Iterations.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        return new ScramExchange(gs2Header, username, clientFirstBare, serverFirst, nonce, credential);
    }

    /// <summary>
    /// Checks the client-final-message: the channel binding repeats the gs2 header, the nonce is this
    /// exchange's, and the proof verifies. On success, <paramref name="serverFinal"/> is the server-final-message.
    /// </summary>
    public bool TryFinish(ReadOnlySpan<byte> data, [NotNullWhen(true)] out string? serverFinal, [NotNullWhen(false)] out string? error)
    {
        serverFinal = null;
        if (!TryDecode(data, out var text))
        {
            error = "The client-final-message is not UTF-8.";
            return false;
        }

        // client-final-message = channel-binding "," nonce ["," extensions] "," proof
        var proofAt = text.LastIndexOf(",p=", StringComparison.Ordinal);
        var attributes = proofAt < 0 ? [] : text[..proofAt].Split(',');
        if (attributes.Length < 2 || !attributes[0].StartsWith("c=", StringComparison.Ordinal) || !attributes[1].StartsWith("r=", StringComparison.Ordinal))
        {
            error = "The client-final-message is not c=...,r=...,p=....";
            return false;
        }

        if (!TryFromBase64(attributes[0][2..], out var binding) || !binding.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(Gs2Header)))
        {
            error = "The channel binding does not repeat the gs2 header.";
            return false;
        }

        if (!string.Equals(attributes[1][2..], Nonce, StringComparison.Ordinal))
        {
            error = "The nonce is not this exchange's.";
            return false;
        }

        if (!TryFromBase64(text[(proofAt + 3)..], out var proof))
        {
            error = "The proof is not base64.";
            return false;
        }

        var authMessage = ClientFirstBare + "," + ServerFirst + "," + text[..proofAt];
        if (!ScramSha256.VerifyProof(Credential, authMessage, proof))
        {
            error = "The proof does not verify.";
            return false;
        }

        serverFinal = ScramSha256.ServerFinal(Credential, authMessage);
        error = null;
        return true;
    }

    /// <summary>saslname: "=2C" stands for ',' and "=3D" for '='; any other '=' is an error.</summary>
    private static bool TryUnescape(string value, [NotNullWhen(true)] out string? result)
    {
        result = null;
        if (!value.Contains('=', StringComparison.Ordinal))
        {
            result = value;
            return true;
        }

        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '=')
            {
                builder.Append(value[i]);
            }
            else if (string.CompareOrdinal(value, i, "=2C", 0, 3) == 0)
            {
                builder.Append(',');
                i += 2;
            }
            else if (string.CompareOrdinal(value, i, "=3D", 0, 3) == 0)
            {
                builder.Append('=');
                i += 2;
            }
            else
            {
                return false;
            }
        }

        result = builder.ToString();
        return true;
    }

    /// <summary>printable = %x21-2B / %x2D-7E: visible ASCII without ','.</summary>
    private static bool IsPrintable(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (c is < (char)0x21 or > (char)0x7E or ',')
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out string? text)
    {
        try
        {
            text = s_strictUtf8.GetString(data);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = null;
            return false;
        }
    }

    private static bool TryFromBase64(string text, out byte[] bytes)
    {
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        if (Convert.TryFromBase64String(text, buffer, out var written))
        {
            bytes = buffer[..written];
            return true;
        }

        bytes = [];
        return false;
    }
}
