namespace Bifro.MqttEdge.Codec;

/// <summary>
/// Why a packet could not be decoded: the reason code to answer with and the normative statement
/// that was broken. A value, never an exception; <c>default</c> means "no error".
/// </summary>
/// <remarks>
/// <para>
/// The reason code is what a 5.0 connection puts in its DISCONNECT (or CONNACK for a CONNECT):
/// <see cref="ReasonCode.MalformedPacket"/> (0x81), <see cref="ReasonCode.ProtocolError"/> (0x82),
/// <see cref="ReasonCode.TopicNameInvalid"/> (0x90) or, for CONNECT only,
/// <see cref="ReasonCode.UnsupportedProtocolVersion"/> (0x84). A 3.x connection simply closes, except
/// that an unsupported protocol is answered with a 3.1.1 CONNACK return code 0x01.
/// </para>
/// <para>
/// <see cref="Statement"/> is a statement id such as <c>"MQTT-3.3.2-2"</c> (5.0 numbering unless
/// the rule exists only in 3.1.1), or a section such as <c>"§2.2.2.2"</c> where the specification
/// states the rule without numbering it. Both strings are literals: creating an error allocates nothing.
/// </para>
/// <para>
/// <see cref="Field"/> names the field that failed where the connection reports it apart (the events
/// MalformedClientId, MalformedUsername, MalformedWillTopic, MalformedTopic, MalformedTopicFilter); it is
/// set with <c>with</c>, which copies the struct and allocates nothing either.
/// </para>
/// </remarks>
internal readonly record struct DecodeError(ReasonCode ReasonCode, string Statement, string Message, DecodeField Field = DecodeField.None)
{
    /// <summary>True for a real error, false for <c>default</c>.</summary>
    public bool IsError => Statement is not null;

    public static DecodeError Malformed(string statement, string message) =>
        new(ReasonCode.MalformedPacket, statement, message);

    public static DecodeError ProtocolError(string statement, string message) =>
        new(ReasonCode.ProtocolError, statement, message);

    public static DecodeError TopicNameInvalid(string statement, string message) =>
        new(ReasonCode.TopicNameInvalid, statement, message);

    public static DecodeError UnsupportedProtocolVersion(string statement, string message) =>
        new(ReasonCode.UnsupportedProtocolVersion, statement, message);

    /// <summary>Truncated data: a field runs past the end of the packet or of its property block.</summary>
    public static DecodeError Truncated => Malformed("§2.1.4", "a field runs past the end of the packet");

    /// <summary>Bytes left over after the last field of the packet.</summary>
    public static DecodeError TrailingBytes => Malformed("§2.1.4", "bytes left after the last field of the packet");

    public override string ToString() =>
        IsError ? $"0x{(byte)ReasonCode:X2} [{Statement}] {Message}" : "no error";
}

/// <summary>The field a decode error is about, where it matters to the event reported.</summary>
internal enum DecodeField : byte
{
    None,
    ClientId,
    UserName,
    WillTopic,
    TopicName,
    TopicFilter,
}
