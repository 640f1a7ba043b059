namespace Bifro.MqttEdge.Configuration;

/// <summary>Whether a TLS listener asks clients for a certificate.</summary>
public enum ClientCertificateMode
{
    /// <summary>One-way TLS: no client certificate is asked for.</summary>
    None,

    /// <summary>A certificate is asked for; a client may send none, but one it sends must be valid.</summary>
    Optional,

    /// <summary>Mutual TLS: the handshake fails without a valid client certificate.</summary>
    Require,
}
