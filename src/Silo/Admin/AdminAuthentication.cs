using System.Security.Cryptography;
using System.Text;
using Bifro.Silo.Configuration;
using Microsoft.AspNetCore.Http;

namespace Bifro.Silo.Admin;

/// <summary>
/// Who may call the admin API. Each configured mechanism is enforced: with tokens, a request must carry one
/// ("Authorization: Bearer …"); with a client CA, it must come over a TLS connection whose client certificate
/// chained to that CA (the handshake already refused any other certificate). /health needs neither, so that
/// load balancers and Kubernetes probes can ask.
/// </summary>
internal sealed class AdminAuthentication
{
    // Tokens are compared as SHA-256 digests in constant time: the comparison takes as long whatever the
    // token's length or the first byte that differs.
    private readonly byte[][] _tokenDigests;
    private readonly bool _requireCertificate;

    public AdminAuthentication(AdminOptions options)
    {
        _tokenDigests = new byte[options.Tokens.Count][];
        for (var i = 0; i < options.Tokens.Count; i++)
        {
            _tokenDigests[i] = SHA256.HashData(Encoding.UTF8.GetBytes(options.Tokens[i]));
        }

        _requireCertificate = options.Tls.Enabled && options.Tls.ClientCaPath is not null;
    }

    /// <summary>Whether the API needs no credential at all (loopback only: the validator sees to it).</summary>
    public bool IsOpen => _tokenDigests.Length == 0 && !_requireCertificate;

    /// <summary>Null when <paramref name="context"/> may go on; otherwise why not (the answer is 401).</summary>
    public string? Check(HttpContext context)
    {
        if (_requireCertificate && context.Connection.ClientCertificate is null)
        {
            return "A client certificate signed by the admin client CA (Bifro:Admin:Tls:ClientCaPath) is required.";
        }

        if (_tokenDigests.Length == 0)
        {
            return null;
        }

        var header = context.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || header.Length == scheme.Length)
        {
            return "A bearer token is required: send \"Authorization: Bearer <token>\" with one of Bifro:Admin:Tokens.";
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()));
        var match = false;
        foreach (var known in _tokenDigests)
        {
            // Every token is compared, found or not, so the time does not tell which one matched.
            match |= CryptographicOperations.FixedTimeEquals(digest, known);
        }

        return match ? null : "The bearer token is not valid.";
    }
}
