using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Bifro.MqttEdge.Configuration;

namespace Bifro.MqttEdge.Listeners;

/// <summary>
/// Loads a TLS listener's server certificate (PEM certificate and key, or PKCS#12) and client CA bundle.
/// Used at start (where a failure stops the node, naming the key) and by every reload.
/// </summary>
internal static class TlsMaterialLoader
{
    private static readonly Oid s_clientAuthentication = new("1.3.6.1.5.5.7.3.2", "Client Authentication");

    /// <summary>The paths of the files that make up the material, for watching.</summary>
    public static IEnumerable<string> Paths(TlsListenerOptions options)
    {
        if (options.Certificate.Path is { } certificate)
        {
            yield return Path.GetFullPath(certificate);
        }

        if (options.Certificate.KeyPath is { } key)
        {
            yield return Path.GetFullPath(key);
        }

        if (options.ClientCertificateMode != ClientCertificateMode.None && options.ClientCaPath is { } ca)
        {
            yield return Path.GetFullPath(ca);
        }
    }

    /// <summary>Reads the files; <paramref name="key"/> is the listener's configuration key, such as "Bifro:Mqtt:Tls".</summary>
    public static TlsFiles Read(TlsListenerOptions options, string key)
    {
        var certificate = ReadFile(options.Certificate.Path, $"{key}:Certificate:Path");
        var privateKey = options.Certificate.KeyPath is { } keyPath ? ReadFile(keyPath, $"{key}:Certificate:KeyPath") : null;
        var clientCa = options.ClientCertificateMode != ClientCertificateMode.None ? ReadFile(options.ClientCaPath, $"{key}:ClientCaPath") : null;

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        foreach (var part in new[] { certificate, privateKey ?? [], clientCa ?? [] })
        {
            BitConverter.TryWriteBytes(length, part.Length);
            hash.AppendData(length);
            hash.AppendData(part);
        }

        return new TlsFiles(certificate, privateKey, clientCa, hash.GetHashAndReset());
    }

    public static TlsMaterial Load(TlsFiles files, TlsListenerOptions options, string key)
    {
        var (leaf, intermediates) = LoadServerCertificate(files, options, key);
        SslStreamCertificateContext context;
        try
        {
            // offline: the chain is built from what the files hold; nothing is downloaded.
            context = SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
        }
        catch (Exception exception) when (exception is CryptographicException or NotSupportedException)
        {
            throw new TlsMaterialException($"{key}:Certificate:Path: the certificate cannot serve TLS: {exception.Message}", exception);
        }

        X509ChainPolicy? policy = null;
        if (files.ClientCa is { } caBytes)
        {
            policy = ClientChainPolicy(caBytes, options, key);
        }

        return new TlsMaterial(context, policy);
    }

    private static (X509Certificate2 Leaf, X509Certificate2Collection Intermediates) LoadServerCertificate(TlsFiles files, TlsListenerOptions options, string key)
    {
        var pathKey = $"{key}:Certificate:Path";
        var password = options.Certificate.Password;
        try
        {
            if (IsPem(files.Certificate))
            {
                var certificatePem = Encoding.ASCII.GetString(files.Certificate);
                var keyPem = files.Key is { } k ? Encoding.ASCII.GetString(k) : certificatePem;
                var leaf = password is null
                    ? X509Certificate2.CreateFromPem(certificatePem, keyPem)
                    : X509Certificate2.CreateFromEncryptedPem(certificatePem, keyPem, password);
                var all = new X509Certificate2Collection();
                all.ImportFromPem(certificatePem);
                var intermediates = new X509Certificate2Collection();
                foreach (var certificate in all)
                {
                    if (!certificate.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span))
                    {
                        intermediates.Add(certificate);
                    }
                }

                return (leaf, intermediates);
            }

            if (files.Key is not null)
            {
                throw new TlsMaterialException($"{key}:Certificate:KeyPath is set, but {pathKey} '{options.Certificate.Path}' is not a PEM file.");
            }

            var collection = X509CertificateLoader.LoadPkcs12Collection(files.Certificate, password);
            X509Certificate2? withKey = null;
            var rest = new X509Certificate2Collection();
            foreach (var certificate in collection)
            {
                if (withKey is null && certificate.HasPrivateKey)
                {
                    withKey = certificate;
                }
                else
                {
                    rest.Add(certificate);
                }
            }

            return (withKey ?? throw new TlsMaterialException($"{pathKey} '{options.Certificate.Path}' holds no certificate with a private key."), rest);
        }
        catch (CryptographicException exception)
        {
            throw new TlsMaterialException(
                $"{pathKey} '{options.Certificate.Path}' (with {key}:Certificate:KeyPath and {key}:Certificate:Password) could not be loaded: {exception.Message}",
                exception);
        }
        catch (ArgumentException exception)
        {
            throw new TlsMaterialException(
                $"{pathKey} '{options.Certificate.Path}' (with {key}:Certificate:KeyPath) holds no usable PEM certificate and key: {exception.Message}",
                exception);
        }
    }

    private static X509ChainPolicy ClientChainPolicy(byte[] caBytes, TlsListenerOptions options, string key)
    {
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPem(Encoding.ASCII.GetString(caBytes));
        }
        catch (CryptographicException exception)
        {
            throw new TlsMaterialException($"{key}:ClientCaPath '{options.ClientCaPath}' could not be read as PEM certificates: {exception.Message}", exception);
        }

        if (authorities.Count == 0)
        {
            throw new TlsMaterialException($"{key}:ClientCaPath '{options.ClientCaPath}' holds no PEM certificate.");
        }

        var policy = new X509ChainPolicy
        {
            // The configured CAs are the only trust anchors; the system's store plays no part.
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = options.CheckCertificateRevocation ? X509RevocationMode.Online : X509RevocationMode.NoCheck,
            RevocationFlag = X509RevocationFlag.ExcludeRoot,
            // Without revocation checks nothing is fetched from the network (no AIA issuer downloads either).
            DisableCertificateDownloads = !options.CheckCertificateRevocation,
        };
        policy.CustomTrustStore.AddRange(authorities);
        policy.ApplicationPolicy.Add(s_clientAuthentication);
        return policy;
    }

    private static bool IsPem(byte[] bytes) => bytes.AsSpan().IndexOf("-----BEGIN "u8) >= 0;

    private static byte[] ReadFile(string? path, string key)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new TlsMaterialException($"{key} is required.");
        }

        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new TlsMaterialException($"{key} '{path}' not found.", exception);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new TlsMaterialException($"{key} '{path}' could not be read: {exception.Message}", exception);
        }
    }
}
