using Bifro.MqttEdge.Configuration;
using Microsoft.Extensions.Logging;

namespace Bifro.MqttEdge.Listeners;

/// <summary>Makes the certificate sources of the TLS listeners and stops their watchers when the host stops.</summary>
internal sealed class TlsCertificateSources(ILoggerFactory loggerFactory, TimeProvider time) : IDisposable
{
    private readonly List<TlsCertificateSource> _sources = [];

    /// <summary>Loads the material of a TLS listener whose configuration key is <paramref name="key"/> ("Bifro:Mqtt:Tls").</summary>
    public TlsCertificateSource Create(TlsListenerOptions options, string key, TimeSpan reloadInterval)
    {
        var source = new TlsCertificateSource(options, key, reloadInterval, time, loggerFactory.CreateLogger<TlsCertificateSource>());
        lock (_sources)
        {
            _sources.Add(source);
        }

        return source;
    }

    public void Dispose()
    {
        lock (_sources)
        {
            foreach (var source in _sources)
            {
                source.Dispose();
            }

            _sources.Clear();
        }
    }
}
