namespace Bifro.MqttEdge.Connection;

internal enum ConnectionPhase : byte
{
    /// <summary>Accepted; the first packet must be CONNECT, within the connect timeout.</summary>
    AwaitingConnect,

    /// <summary>CONNECT received; the session is being attached.</summary>
    Connecting,

    /// <summary>5.0 enhanced authentication: AUTH packets go back and forth before CONNACK; only AUTH and DISCONNECT are accepted.</summary>
    Authenticating,

    /// <summary>CONNACK sent with success.</summary>
    Connected,

    /// <summary>Closing: nothing more is read; a final DISCONNECT may still be written.</summary>
    Closing,

    Closed,
}
