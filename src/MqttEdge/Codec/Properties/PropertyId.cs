namespace Bifro.MqttEdge.Codec.Properties;

/// <summary>MQTT 5.0 property identifiers (section 2.2.2.2). Comments give the data type.</summary>
internal enum PropertyId : byte
{
    /// <summary>Byte, 0 or 1. PUBLISH, Will.</summary>
    PayloadFormatIndicator = 0x01,

    /// <summary>Four byte integer, seconds. PUBLISH, Will.</summary>
    MessageExpiryInterval = 0x02,

    /// <summary>UTF-8 string. PUBLISH, Will.</summary>
    ContentType = 0x03,

    /// <summary>UTF-8 string, a topic name. PUBLISH, Will.</summary>
    ResponseTopic = 0x08,

    /// <summary>Binary data. PUBLISH, Will.</summary>
    CorrelationData = 0x09,

    /// <summary>Variable byte integer, 1 to 268,435,455. PUBLISH (server to client, repeatable), SUBSCRIBE.</summary>
    SubscriptionIdentifier = 0x0B,

    /// <summary>Four byte integer, seconds. CONNECT, CONNACK, DISCONNECT.</summary>
    SessionExpiryInterval = 0x11,

    /// <summary>UTF-8 string. CONNACK.</summary>
    AssignedClientIdentifier = 0x12,

    /// <summary>Two byte integer, seconds. CONNACK.</summary>
    ServerKeepAlive = 0x13,

    /// <summary>UTF-8 string. CONNECT, CONNACK, AUTH.</summary>
    AuthenticationMethod = 0x15,

    /// <summary>Binary data. CONNECT, CONNACK, AUTH.</summary>
    AuthenticationData = 0x16,

    /// <summary>Byte, 0 or 1. CONNECT.</summary>
    RequestProblemInformation = 0x17,

    /// <summary>Four byte integer, seconds. Will.</summary>
    WillDelayInterval = 0x18,

    /// <summary>Byte, 0 or 1. CONNECT.</summary>
    RequestResponseInformation = 0x19,

    /// <summary>UTF-8 string. CONNACK.</summary>
    ResponseInformation = 0x1A,

    /// <summary>UTF-8 string. CONNACK, DISCONNECT.</summary>
    ServerReference = 0x1C,

    /// <summary>UTF-8 string. CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, DISCONNECT, AUTH.</summary>
    ReasonString = 0x1F,

    /// <summary>Two byte integer, not 0. CONNECT, CONNACK.</summary>
    ReceiveMaximum = 0x21,

    /// <summary>Two byte integer. CONNECT, CONNACK.</summary>
    TopicAliasMaximum = 0x22,

    /// <summary>Two byte integer, not 0. PUBLISH.</summary>
    TopicAlias = 0x23,

    /// <summary>Byte, 0 or 1. CONNACK.</summary>
    MaximumQoS = 0x24,

    /// <summary>Byte, 0 or 1. CONNACK.</summary>
    RetainAvailable = 0x25,

    /// <summary>UTF-8 string pair, repeatable. Every packet with properties, and Will.</summary>
    UserProperty = 0x26,

    /// <summary>Four byte integer, not 0. CONNECT, CONNACK.</summary>
    MaximumPacketSize = 0x27,

    /// <summary>Byte, 0 or 1. CONNACK.</summary>
    WildcardSubscriptionAvailable = 0x28,

    /// <summary>Byte, 0 or 1. CONNACK.</summary>
    SubscriptionIdentifierAvailable = 0x29,

    /// <summary>Byte, 0 or 1. CONNACK.</summary>
    SharedSubscriptionAvailable = 0x2A,
}
