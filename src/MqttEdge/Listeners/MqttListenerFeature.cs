using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;

namespace Bifro.MqttEdge.Listeners;

/// <summary>
/// The <see cref="IMqttListenerFeature"/> the listener middleware fill in, one per connection. A plain TCP
/// listener, which has no middleware, shares one instance among its connections instead: it knows nothing
/// per connection, and so plain TCP connections cost nothing more.
/// </summary>
internal sealed class MqttListenerFeature(string listenerName) : IMqttListenerFeature
{
    public string ListenerName { get; } = listenerName;

    public EndPoint? RemoteEndPoint { get; set; }

    public X509Certificate2? ClientCertificate { get; set; }

    public byte[][]? ClientCertificateChain { get; set; }

    /// <summary>The connection's feature, added by the first middleware that has something to say.</summary>
    public static MqttListenerFeature GetOrAdd(ConnectionContext connection, string listenerName)
    {
        if (connection.Features.Get<IMqttListenerFeature>() is MqttListenerFeature feature)
        {
            return feature;
        }

        feature = new MqttListenerFeature(listenerName);
        connection.Features.Set<IMqttListenerFeature>(feature);
        return feature;
    }
}
