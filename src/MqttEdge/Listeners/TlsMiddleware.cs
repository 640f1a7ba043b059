using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Bifro.MqttEdge.Configuration;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;

namespace Bifro.MqttEdge.Listeners;

/// <summary>
/// TLS for the tls and wss listeners, on SslStream rather than Kestrel's UseHttps: the handshake needs no
/// ALPN (Kestrel's would offer HTTP's), client certificates are validated against the listener's own CA
/// bundle only, and what the handshake learned goes into <see cref="IMqttListenerFeature"/>, chain included.
/// The next middleware reads and writes plaintext pipes over the SslStream, as with UseHttps.
/// </summary>
internal sealed partial class TlsMiddleware(
    ConnectionDelegate next,
    TlsCertificateSource certificates,
    ClientCertificateMode mode,
    string listenerName,
    TimeSpan handshakeTimeout,
    ILogger logger)
{
    /// <summary>TLS 1.2 and 1.3 only.</summary>
    internal const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    public async Task OnConnectionAsync(ConnectionContext connection)
    {
        var material = certificates.Current;
        var validator = mode == ClientCertificateMode.None || material.ClientChainPolicy is null
            ? null
            : new ClientCertificateValidator(material.ClientChainPolicy, mode);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = material.ServerCertificate,
            EnabledSslProtocols = Protocols,
            ClientCertificateRequired = validator is not null,
            CertificateChainPolicy = validator?.Policy,
            RemoteCertificateValidationCallback = validator is null ? null : validator.Validate,
            // Revocation, when configured, is part of the chain policy.
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            // No ApplicationProtocols: MQTT needs no ALPN, and a client that offers some still connects.
        };

        var transport = connection.Transport;
        var tls = new SslStream(new DuplexPipeStream(transport), leaveInnerStreamOpen: false);
        try
        {
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed))
            {
                deadline.CancelAfter(handshakeTimeout);
                try
                {
                    await tls.AuthenticateAsServerAsync(options, deadline.Token).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is AuthenticationException or IOException or OperationCanceledException or ConnectionResetException or ConnectionAbortedException)
                {
                    LogHandshakeFailed(logger, listenerName, MqttRemoteEndPoint(connection), validator?.Failure ?? exception.Message);
                    return;
                }
            }

            if (validator?.Chain is not null)
            {
                var feature = MqttListenerFeature.GetOrAdd(connection, listenerName);
                feature.ClientCertificate = tls.RemoteCertificate as X509Certificate2;
                feature.ClientCertificateChain = validator.Chain;
                LogClientCertificate(logger, listenerName, MqttRemoteEndPoint(connection), feature.ClientCertificate?.Subject);
            }

            var pool = connection.Features.Get<IMemoryPoolFeature>()?.MemoryPool ?? MemoryPool<byte>.Shared;
            var input = PipeReader.Create(tls, new StreamPipeReaderOptions(pool, bufferSize: 4096, minimumReadSize: 1024, leaveOpen: true));
            var output = PipeWriter.Create(tls, new StreamPipeWriterOptions(pool, minimumBufferSize: 4096, leaveOpen: true));
            connection.Transport = new DuplexPipe(input, output);
            try
            {
                await next(connection).ConfigureAwait(false);
            }
            finally
            {
                await input.CompleteAsync().ConfigureAwait(false);
                await output.CompleteAsync().ConfigureAwait(false);
                connection.Transport = transport;
            }
        }
        finally
        {
            await tls.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static EndPoint? MqttRemoteEndPoint(ConnectionContext connection) =>
        connection.Features.Get<IMqttListenerFeature>()?.RemoteEndPoint ?? connection.RemoteEndPoint;
}
