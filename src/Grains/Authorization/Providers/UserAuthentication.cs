using Bifro.Grains.Authorization.Providers.Scram;

namespace Bifro.Grains.Authorization.Providers;

/// <summary>
/// CONNECT authentication by user name and password, or by client certificate, over a user store: what
/// the file and postgres providers share.
/// </summary>
internal static class UserAuthentication
{
    // A known hash to verify against for unknown users, so that a wrong user name takes as long as a wrong password.
    private static readonly Lazy<PasswordHash.Parsed> s_dummy = new(() =>
    {
        PasswordHash.TryParse(PasswordHash.Hash("bifro-dummy-password", PasswordHash.MinimumIterations), out var parsed, out _);
        return parsed!;
    });

    /// <summary>
    /// The user name to look up: the certificate's name when <paramref name="certificateUsername"/> ("cn",
    /// "san-dns", "san-email") picks one from the client's certificate, else the CONNECT User Name.
    /// </summary>
    public static string? ResolveUsername(AuthRequest request, string? certificateUsername, out bool byCertificate)
    {
        byCertificate = false;
        if (certificateUsername is not null && request.LoadClientCertificate() is { } certificate)
        {
            using (certificate)
            {
                if (CertificateIdentity.Select(certificate, certificateUsername) is { } name)
                {
                    byCertificate = true;
                    return name;
                }
            }
        }

        return request.Username;
    }

    /// <summary>
    /// Ok when the certificate named a user that may authenticate by certificate, or the password matches
    /// the user's PBKDF2 hash (or, for a user with only SCRAM credentials, its StoredKey); else 0x86.
    /// </summary>
    public static AuthResult Verify(AuthRequest request, UserRecord? user, bool byCertificate)
    {
        if (user is null)
        {
            if (request.Password is { } attempted)
            {
                PasswordHash.Verify(attempted, s_dummy.Value);
            }

            return AuthResult.Reject(AuthRejectCode.BadUserNameOrPassword, "Bad user name or password.");
        }

        var authenticated = (byCertificate && user.Certificate) || (request.Password is { } password && VerifyPassword(password, user));
        return authenticated
            ? AuthResult.Ok(user.Tenant, user.Name, user.Attributes)
            : AuthResult.Reject(AuthRejectCode.BadUserNameOrPassword, "Bad user name or password.");
    }

    private static bool VerifyPassword(byte[] password, UserRecord user) =>
        user.Hash is not null ? PasswordHash.Verify(password, user.Hash)
        : user.Scram is not null && ScramSha256.VerifyPassword(password, user.Scram);

    /// <summary>Checks a certificate-username setting ("cn", "san-dns", "san-email" or null).</summary>
    public static bool IsValidCertificateUsername(string? value) => value is null or "cn" or "san-dns" or "san-email";
}
