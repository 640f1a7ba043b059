using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Bifro.Configuration;
using Microsoft.Extensions.Logging;

namespace Bifro.Runtime.Transport;

/// <summary>
/// TLS for the silo transport: the node's certificate (PEM or PKCS#12) and the validation of peers'
/// certificates against the configured CA bundle only. A silo is the server of the connections it
/// accepts and the client of those it opens, so with mutual TLS its certificate needs both uses.
/// </summary>
internal sealed partial class TransportSecurity
{
    private readonly TransportTlsOptions _options;
    private readonly ILogger _logger;
    private readonly X509Certificate2? _certificate;
    private readonly X509Certificate2Collection? _trustAnchors;

    public TransportSecurity(TransportTlsOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        if (!options.Enabled)
        {
            return;
        }

        _certificate = LoadCertificate(options);
        if (options.CaBundlePath is { } ca)
        {
            _trustAnchors = new X509Certificate2Collection();
            _trustAnchors.ImportFromPemFile(ca);
        }

        if (options.AllowAnyRemoteCertificate)
        {
            LogAllowAny();
        }
    }

    public bool Enabled => _options.Enabled;

    /// <summary>Peers refused for their certificate, for metrics and tests.</summary>
    public long RejectedCertificates => Volatile.Read(ref _rejected);

    private long _rejected;

    public async Task<Stream> AuthenticateAsServerAsync(Stream stream, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false, (_, certificate, chain, errors) => ValidatePeer(certificate, errors, isServer: true));
        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificate = _certificate,
            ClientCertificateRequired = _options.RemoteCertificateMode != RemoteCertificateMode.NoCertificate,
            EnabledSslProtocols = _options.Protocols,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        }, cancellationToken).ConfigureAwait(false);
        return ssl;
    }

    public async Task<Stream> AuthenticateAsClientAsync(Stream stream, string targetHost, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false, (_, certificate, chain, errors) => ValidatePeer(certificate, errors, isServer: false));
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = targetHost,
            ClientCertificates = _certificate is null ? null : new X509CertificateCollection { _certificate },
            EnabledSslProtocols = _options.Protocols,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        }, cancellationToken).ConfigureAwait(false);
        return ssl;
    }

    /// <summary>
    /// Validates a peer's certificate with the configured CA as the only trust anchor. Host names are not
    /// checked: silos are addressed by IP and identified by their certificate's chain, not by a name.
    /// </summary>
    private bool ValidatePeer(X509Certificate? certificate, SslPolicyErrors errors, bool isServer)
    {
        if (_options.AllowAnyRemoteCertificate)
        {
            return true;
        }

        if (certificate is null)
        {
            // A client may be allowed in without a certificate; a server must always present one.
            var allowed = isServer && _options.RemoteCertificateMode != RemoteCertificateMode.RequireCertificate;
            if (!allowed)
            {
                Interlocked.Increment(ref _rejected);
                LogRejected("no certificate", errors);
            }

            return allowed;
        }

        using var leaf = new X509Certificate2(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (_trustAnchors is not null)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(_trustAnchors);
        }

        if (chain.Build(leaf))
        {
            return true;
        }

        Interlocked.Increment(ref _rejected);
        LogRejected(string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim())), errors);
        return false;
    }

    private static X509Certificate2 LoadCertificate(TransportTlsOptions options)
    {
        var path = options.CertificatePath ?? throw new InvalidOperationException("Bifro:Cluster:Transport:Tls:CertificatePath is required when TLS is enabled.");
        var extension = Path.GetExtension(path).ToLowerInvariant();
        var certificate = extension is ".pfx" or ".p12"
            ? X509CertificateLoader.LoadPkcs12FromFile(path, options.Password)
            : X509Certificate2.CreateFromPemFile(path, options.KeyPath ?? throw new InvalidOperationException("Bifro:Cluster:Transport:Tls:KeyPath is required for a PEM certificate."));

        // An ephemeral PEM key cannot be used by SslStream on every platform; re-import it as PKCS#12.
        return extension is ".pfx" or ".p12" ? certificate : X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    [LoggerMessage(1, LogLevel.Warning, "Bifro:Cluster:Transport:Tls:AllowAnyRemoteCertificate is set: silo connections accept any certificate. Use this only in development.")]
    private partial void LogAllowAny();

    [LoggerMessage(2, LogLevel.Warning, "Refused a silo connection: its certificate is not trusted ({Reason}; {Errors})")]
    private partial void LogRejected(string reason, SslPolicyErrors errors);
}
