using Bifro.MqttEdge.Codec.Framing;

namespace Bifro.MqttEdge.Codec.Properties;

/// <summary>
/// Reason String (0x1F) and User Properties (0x26): the only properties of the acknowledgements and
/// the "diagnostic" part of CONNACK, DISCONNECT and AUTH, which may be dropped to respect the peer's
/// Maximum Packet Size.
/// </summary>
internal static class DiagnosticProperties
{
    /// <summary>Encoded length of both, 0 when <paramref name="include"/> is false.</summary>
    public static int GetLength(string? reasonString, List<UserProperty>? userProperties, bool include) =>
        include ? PropertySize.String(reasonString) + PropertySize.UserProperties(userProperties) : 0;

    public static void Write(ref PacketWriter writer, string? reasonString, List<UserProperty>? userProperties, bool include)
    {
        if (include)
        {
            PropertyWriter.WriteString(ref writer, PropertyId.ReasonString, reasonString);
            PropertyWriter.WriteUserProperties(ref writer, userProperties);
        }
    }

    /// <summary>Reads a block that may hold only Reason String and User Properties (the acknowledgements).</summary>
    public static bool TryRead(
        ReadOnlySpan<byte> block, PropertyContext context, out string? reasonString,
        out List<UserProperty>? userProperties, out DecodeError error)
    {
        reasonString = null;
        userProperties = null;
        var reader = new PropertyReader(block, context);
        while (reader.TryRead(out var property))
        {
            // The reader rejected every identifier not allowed in this context.
            if (property.Id == PropertyId.ReasonString)
            {
                reasonString = PropertyReader.ToString(property.Data);
            }
            else
            {
                AddUserProperty(ref userProperties, property);
            }
        }

        error = reader.Error;
        return !error.IsError;
    }

    /// <summary>Appends a User Property read from the wire, creating the list on first use.</summary>
    public static void AddUserProperty(ref List<UserProperty>? list, in Property property) =>
        (list ??= []).Add(new UserProperty(PropertyReader.ToString(property.Data), PropertyReader.ToString(property.Value)));
}
