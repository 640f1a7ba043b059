namespace Bifro.Bench.Mqtt;

/// <summary>Splits a receive buffer into control packets and decodes the few fields the load generator needs.</summary>
internal static class FrameReader
{
    /// <summary>
    /// Reads the fixed header at the start of <paramref name="buffer"/>. Returns false when the frame is not
    /// complete yet; throws when the remaining length is malformed (more than four bytes) [MQTT-1.5.5].
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> buffer, out Frame frame)
    {
        frame = default;
        if (buffer.Length < 2)
        {
            return false;
        }

        var remaining = 0;
        var shift = 0;
        var index = 1;
        while (true)
        {
            if (index >= buffer.Length)
            {
                return false;
            }

            var b = buffer[index++];
            remaining |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }

            shift += 7;
            if (shift > 21)
            {
                throw new MqttProtocolException("Malformed remaining length from broker.");
            }
        }

        if (buffer.Length - index < remaining)
        {
            return false;
        }

        frame = new Frame((PacketType)(buffer[0] >> 4), (byte)(buffer[0] & 0x0F), index, remaining);
        return true;
    }

    /// <summary>Reads a variable byte integer (property lengths in 5.0) and returns the bytes it used.</summary>
    public static int ReadVarInt(ReadOnlySpan<byte> span, out int value)
    {
        value = 0;
        var shift = 0;
        for (var i = 0; i < 4 && i < span.Length; i++)
        {
            value |= (span[i] & 0x7F) << shift;
            if ((span[i] & 0x80) == 0)
            {
                return i + 1;
            }

            shift += 7;
        }

        throw new MqttProtocolException("Malformed variable byte integer from broker.");
    }

    /// <summary>Returns the payload of a PUBLISH body and its packet id (0 for QoS 0).</summary>
    public static ReadOnlySpan<byte> PublishPayload(ReadOnlySpan<byte> body, int qos, MqttVersion version, out ushort packetId)
    {
        var topicLength = (body[0] << 8) | body[1];
        var offset = 2 + topicLength;
        packetId = 0;
        if (qos > 0)
        {
            packetId = (ushort)((body[offset] << 8) | body[offset + 1]);
            offset += 2;
        }

        if (version == MqttVersion.V500)
        {
            offset += ReadVarInt(body[offset..], out var propertiesLength);
            offset += propertiesLength;
        }

        return body[offset..];
    }
}
