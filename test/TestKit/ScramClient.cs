using System.Security.Cryptography;
using System.Text;

namespace Bifro.TestKit;

/// <summary>
/// The client side of SCRAM-SHA-256, written from RFC 5802 §3 and §5 and RFC 7677 for tests, without the
/// broker's code: it builds the client-first-message, answers the server-first-message with a proof, and
/// checks the server's signature. Passwords here are ASCII, so SASLprep leaves them as they are.
/// </summary>
public sealed class ScramClient
{
    private readonly string _username;
    private readonly string _password;
    private readonly string _clientNonce;
    private string? _authMessage;
    private byte[]? _saltedPassword;

    public ScramClient(string username, string password, string? clientNonce = null)
    {
        _username = username;
        _password = password;
        _clientNonce = clientNonce ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
    }

    /// <summary>client-first-message-bare: "n=" saslname "," "r=" c-nonce; ',' and '=' in the name escaped as =2C and =3D.</summary>
    public string ClientFirstBare => $"n={_username.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal)},r={_clientNonce}";

    /// <summary>client-first-message: gs2 header "n,," (no channel binding, no authzid), then the bare message.</summary>
    public byte[] ClientFirst() => Encoding.UTF8.GetBytes("n,," + ClientFirstBare);

    /// <summary>
    /// client-final-message for <paramref name="serverFirst"/> ("r=nonce,s=salt,i=count"): channel binding
    /// "c=biws" (base64 of "n,,"), the nonce, and p = ClientKey XOR HMAC(StoredKey, AuthMessage).
    /// </summary>
    public byte[] ClientFinal(byte[] serverFirst)
    {
        var text = Encoding.UTF8.GetString(serverFirst);
        var attributes = text.Split(',').ToDictionary(a => a[..1], a => a[2..], StringComparer.Ordinal);
        var nonce = attributes["r"];
        if (!nonce.StartsWith(_clientNonce, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The server nonce does not start with the client's: {text}");
        }

        var salt = Convert.FromBase64String(attributes["s"]);
        var iterations = int.Parse(attributes["i"], System.Globalization.CultureInfo.InvariantCulture);

        // SaltedPassword := Hi(Normalize(password), salt, i); Hi is PBKDF2 with HMAC as the PRF (RFC 5802 §2.2).
        _saltedPassword = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(_password), salt, iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(_saltedPassword, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        var withoutProof = $"c={Convert.ToBase64String("n,,"u8)},r={nonce}";
        _authMessage = ClientFirstBare + "," + text + "," + withoutProof;
        var clientSignature = HMACSHA256.HashData(storedKey, Encoding.UTF8.GetBytes(_authMessage));
        var proof = new byte[clientKey.Length];
        for (var i = 0; i < proof.Length; i++)
        {
            proof[i] = (byte)(clientKey[i] ^ clientSignature[i]);
        }

        return Encoding.UTF8.GetBytes(withoutProof + ",p=" + Convert.ToBase64String(proof));
    }

    /// <summary>Whether <paramref name="serverFinal"/> ("v=signature") proves the server knew ServerKey.</summary>
    public bool VerifyServerFinal(byte[] serverFinal)
    {
        if (_authMessage is null || _saltedPassword is null)
        {
            throw new InvalidOperationException("ClientFinal first.");
        }

        var text = Encoding.UTF8.GetString(serverFinal);
        if (!text.StartsWith("v=", StringComparison.Ordinal))
        {
            return false;
        }

        var serverKey = HMACSHA256.HashData(_saltedPassword, "Server Key"u8);
        var expected = HMACSHA256.HashData(serverKey, Encoding.UTF8.GetBytes(_authMessage));
        return CryptographicOperations.FixedTimeEquals(expected, Convert.FromBase64String(text[2..]));
    }
}
