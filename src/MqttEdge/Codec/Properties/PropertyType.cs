namespace Bifro.MqttEdge.Codec.Properties;

/// <summary>Data types of property values (section 1.5).</summary>
internal enum PropertyType : byte
{
    /// <summary>Not a property identifier of MQTT 5.0.</summary>
    None,
    Byte,
    TwoByteInteger,
    FourByteInteger,
    VariableByteInteger,
    Utf8String,
    Utf8StringPair,
    BinaryData,
}
