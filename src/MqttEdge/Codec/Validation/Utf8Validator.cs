using System.Text.Unicode;

namespace Bifro.MqttEdge.Codec.Validation;

/// <summary>
/// The rules of section 1.5.4 for UTF-8 encoded strings. Checked on every string read from the wire,
/// without decoding it.
/// </summary>
internal static class Utf8Validator
{
    /// <summary>True when <paramref name="utf8"/> is well-formed UTF-8 with no U+0000.</summary>
    public static bool IsValid(ReadOnlySpan<byte> utf8) => TryValidate(utf8, out _);

    /// <summary>Validates a UTF-8 string field; the error is MalformedPacket.</summary>
    public static bool TryValidate(ReadOnlySpan<byte> utf8, out DecodeError error)
    {
        // [MQTT-1.5.4-1] The character data MUST be well-formed UTF-8 as defined by the Unicode
        // specification and MUST NOT include encodings of code points between U+D800 and U+DFFF.
        // Utf8.IsValid rejects overlong forms, surrogates and code points past U+10FFFF.
        if (!Utf8.IsValid(utf8))
        {
            error = DecodeError.Malformed("MQTT-1.5.4-1", "ill-formed UTF-8 string");
            return false;
        }

        // [MQTT-1.5.4-2] A UTF-8 Encoded String MUST NOT include an encoding of the null character U+0000.
        // In well-formed UTF-8 the byte 0x00 only ever encodes U+0000.
        if (utf8.Contains((byte)0))
        {
            error = DecodeError.Malformed("MQTT-1.5.4-2", "UTF-8 string contains U+0000");
            return false;
        }

        error = default;
        return true;
    }
}
