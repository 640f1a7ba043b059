using System.Security.Cryptography;
using System.Text;

namespace Bifro.Grains.Authorization.Providers.Scram;

/// <summary>
/// The SCRAM-SHA-256 primitives of RFC 5802 §3 with the hash of RFC 7677:
/// <code>
/// SaltedPassword  := Hi(Normalize(password), salt, i)      (PBKDF2-HMAC-SHA-256)
/// ClientKey       := HMAC(SaltedPassword, "Client Key")
/// StoredKey       := H(ClientKey)
/// ServerKey       := HMAC(SaltedPassword, "Server Key")
/// ClientSignature := HMAC(StoredKey, AuthMessage)
/// ClientProof     := ClientKey XOR ClientSignature
/// ServerSignature := HMAC(ServerKey, AuthMessage)
/// </code>
/// The server keeps only salt, i, StoredKey and ServerKey (<see cref="ScramCredential"/>).
/// </summary>
internal static class ScramSha256
{
    /// <summary>The MQTT 5.0 Authentication Method, as the SASL mechanism is named.</summary>
    public const string Mechanism = "SCRAM-SHA-256";

    /// <summary>RFC 7677 §4: the iteration count must be at least 4096.</summary>
    public const int MinimumIterations = 4096;

    /// <summary>What <c>hash-password --scram</c> uses unless told otherwise: the RFC's minimum, which every client can afford.</summary>
    public const int DefaultIterations = 4096;

    public const int SaltBytes = 16;

    public const int KeyBytes = 32;

    /// <summary>Hi(str, salt, i) of RFC 5802 §2.2, which is PBKDF2 with HMAC-SHA-256 and one block of output.</summary>
    public static byte[] SaltedPassword(ReadOnlySpan<byte> normalizedPassword, ReadOnlySpan<byte> salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(normalizedPassword, salt, iterations, HashAlgorithmName.SHA256, KeyBytes);

    public static byte[] ClientKey(ReadOnlySpan<byte> saltedPassword) => HMACSHA256.HashData(saltedPassword, "Client Key"u8);

    public static byte[] ServerKey(ReadOnlySpan<byte> saltedPassword) => HMACSHA256.HashData(saltedPassword, "Server Key"u8);

    public static byte[] StoredKey(ReadOnlySpan<byte> clientKey) => SHA256.HashData(clientKey);

    public static byte[] Hmac(ReadOnlySpan<byte> key, string message) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(message));

    /// <summary>The server's stored credential for <paramref name="password"/>; a new random salt unless one is given.</summary>
    public static ScramCredential CreateCredential(string password, int iterations = DefaultIterations, byte[]? salt = null)
    {
        if (iterations < MinimumIterations)
        {
            throw new ArgumentOutOfRangeException(nameof(iterations), iterations, $"At least {MinimumIterations} iterations (RFC 7677).");
        }

        var prepared = SaslPrep.Prepare(password) ?? throw new ArgumentException("The password holds characters SASLprep prohibits.", nameof(password));
        salt ??= RandomNumberGenerator.GetBytes(SaltBytes);
        var salted = SaltedPassword(Encoding.UTF8.GetBytes(prepared), salt, iterations);
        return new ScramCredential(iterations, salt, StoredKey(ClientKey(salted)), ServerKey(salted));
    }

    /// <summary>
    /// Whether a plain password (a CONNECT Password, for clients without enhanced authentication) matches the
    /// stored credential: StoredKey is recomputed from it and compared in constant time.
    /// </summary>
    public static bool VerifyPassword(ReadOnlySpan<byte> passwordUtf8, ScramCredential credential)
    {
        string password;
        try
        {
            password = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(passwordUtf8);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        if (SaslPrep.Prepare(password) is not { } prepared)
        {
            return false;
        }

        var salted = SaltedPassword(Encoding.UTF8.GetBytes(prepared), credential.Salt, credential.Iterations);
        return CryptographicOperations.FixedTimeEquals(StoredKey(ClientKey(salted)), credential.StoredKey);
    }

    /// <summary>
    /// Checks a client proof: ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage), then H(ClientKey) must
    /// equal StoredKey (RFC 5802 §3). Constant time in the proof's value.
    /// </summary>
    public static bool VerifyProof(ScramCredential credential, string authMessage, ReadOnlySpan<byte> clientProof)
    {
        if (clientProof.Length != KeyBytes)
        {
            return false;
        }

        var clientSignature = Hmac(credential.StoredKey, authMessage);
        Span<byte> clientKey = stackalloc byte[KeyBytes];
        for (var i = 0; i < KeyBytes; i++)
        {
            clientKey[i] = (byte)(clientProof[i] ^ clientSignature[i]);
        }

        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(clientKey), credential.StoredKey);
    }

    /// <summary>"v=" + base64(ServerSignature): the server-final-message that proves the server knew ServerKey.</summary>
    public static string ServerFinal(ScramCredential credential, string authMessage) =>
        "v=" + Convert.ToBase64String(Hmac(credential.ServerKey, authMessage));
}
