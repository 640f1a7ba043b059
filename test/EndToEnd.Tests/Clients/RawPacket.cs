namespace Bifro.EndToEnd.Tests.Clients;

/// <summary>A packet as the broker sent it: the first header byte and the body after the remaining length.</summary>
internal readonly record struct RawPacket(byte Header, byte[] Body)
{
    public int Type => Header >> 4;

    /// <summary>CONNACK: the session present flag.</summary>
    public bool SessionPresent => Type == RawMqtt.ConnAck && (Body[0] & 1) == 1;

    /// <summary>CONNACK's return code / reason code, or DISCONNECT's reason code (absent means 0x00).</summary>
    public byte ReasonCode => Type switch
    {
        RawMqtt.ConnAck => Body[1],
        RawMqtt.Disconnect => Body.Length == 0 ? (byte)0 : Body[0],
        _ => throw new InvalidOperationException($"Packet type {Type} has no reason code here."),
    };

    /// <summary>PUBLISH: the DUP flag.</summary>
    public bool Dup => (Header & 0x08) != 0;

    /// <summary>PUBLISH: the QoS bits.</summary>
    public int QoS => (Header >> 1) & 0x03;

    /// <summary>PUBLISH at QoS 1 or 2: the topic name and the packet identifier that follows it.</summary>
    public (string Topic, ushort PacketId) TopicAndPacketId
    {
        get
        {
            var length = (Body[0] << 8) | Body[1];
            return (System.Text.Encoding.UTF8.GetString(Body, 2, length), (ushort)((Body[2 + length] << 8) | Body[3 + length]));
        }
    }

    public override string ToString() => $"type {Type} flags 0x{Header & 0x0F:X} body [{Convert.ToHexString(Body)}]";
}
