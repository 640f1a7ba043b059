using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Properties;
using Xunit;
using static Bifro.MqttEdge.Tests.Codec.Support.Bytes;

namespace Bifro.MqttEdge.Tests.Codec.Properties;

public sealed class PropertyReaderTests
{
    private static DecodeError ReadAll(byte[] block, PropertyContext context)
    {
        var reader = new PropertyReader(block, context);
        Assert.False(reader.TrySkipToEnd());
        return reader.Error;
    }

    [Fact]
    public void TryRead_EveryPropertyType_ReadsValues()
    {
        var block = Concat(B(0x21), U16(10), B(0x11), U32(7), B(0x17, 1), B(0x15), S("m"), B(0x16), L(1, 2), B(0x26), S("n"), S("v"));
        var reader = new PropertyReader(block, PropertyContext.Connect);
        var ids = new List<PropertyId>();
        while (reader.TryRead(out var property))
        {
            ids.Add(property.Id);
        }

        Assert.False(reader.Error.IsError);
        Assert.Equal([PropertyId.ReceiveMaximum, PropertyId.SessionExpiryInterval, PropertyId.RequestProblemInformation, PropertyId.AuthenticationMethod, PropertyId.AuthenticationData, PropertyId.UserProperty], ids);
        Assert.True(reader.Contains(PropertyId.AuthenticationMethod));
    }

    [Fact]
    public void TryRead_PropertyNotAllowedInPacket_IsMalformed()
    {
        // §2.2.2.2: Topic Alias is a PUBLISH property.
        var error = ReadAll(Concat(B(0x23), U16(1)), PropertyContext.Connect);
        Assert.Equal(ReasonCode.MalformedPacket, error.ReasonCode);
        Assert.Equal("§2.2.2.2", error.Statement);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x04)]
    [InlineData(0x7F)]
    public void TryRead_UnknownIdentifier_IsMalformed(int id)
    {
        var error = ReadAll(B(id, 0), PropertyContext.Publish);
        Assert.Equal(ReasonCode.MalformedPacket, error.ReasonCode);
    }

    [Fact]
    public void TryRead_RepeatedProperty_IsProtocolError()
    {
        var error = ReadAll(Concat(B(0x11), U32(1), B(0x11), U32(2)), PropertyContext.Connect);
        Assert.Equal(ReasonCode.ProtocolError, error.ReasonCode);
    }

    [Fact]
    public void TryRead_RepeatedUserProperty_IsAllowed()
    {
        var reader = new PropertyReader(Concat(B(0x26), S("a"), S("1"), B(0x26), S("a"), S("2")), PropertyContext.PubAck);
        Assert.True(reader.TrySkipToEnd());
    }

    [Fact]
    public void TryRead_RepeatedSubscriptionIdentifier_AllowedInPublishOnly()
    {
        var block = Concat(B(0x0B, 1), B(0x0B, 2));
        Assert.True(new PropertyReader(block, PropertyContext.Publish).TrySkipToEnd());
        Assert.Equal(ReasonCode.ProtocolError, ReadAll(block, PropertyContext.Subscribe).ReasonCode);
    }

    [Theory]
    [InlineData(new byte[] { 0x21, 0x00, 0x00 }, (uint)PropertyContext.Connect)]                 // Receive Maximum 0
    [InlineData(new byte[] { 0x27, 0x00, 0x00, 0x00, 0x00 }, (uint)PropertyContext.ConnAck)]     // Maximum Packet Size 0
    [InlineData(new byte[] { 0x23, 0x00, 0x00 }, (uint)PropertyContext.Publish)]                 // Topic Alias 0 [MQTT-3.3.2-8]
    [InlineData(new byte[] { 0x0B, 0x00 }, (uint)PropertyContext.Subscribe)]                     // Subscription Identifier 0
    [InlineData(new byte[] { 0x01, 0x02 }, (uint)PropertyContext.Publish)]                       // Payload Format Indicator 2
    [InlineData(new byte[] { 0x17, 0x02 }, (uint)PropertyContext.Connect)]                       // Request Problem Information 2
    [InlineData(new byte[] { 0x19, 0x02 }, (uint)PropertyContext.Connect)]                       // Request Response Information 2
    [InlineData(new byte[] { 0x24, 0x02 }, (uint)PropertyContext.ConnAck)]                       // Maximum QoS 2
    [InlineData(new byte[] { 0x25, 0x02 }, (uint)PropertyContext.ConnAck)]                       // Retain Available 2
    [InlineData(new byte[] { 0x28, 0x02 }, (uint)PropertyContext.ConnAck)]                       // Wildcard Subscription Available 2
    [InlineData(new byte[] { 0x29, 0x02 }, (uint)PropertyContext.ConnAck)]                       // Subscription Identifiers Available 2
    [InlineData(new byte[] { 0x2A, 0x02 }, (uint)PropertyContext.ConnAck)]                       // Shared Subscription Available 2
    [InlineData(new byte[] { 0x08, 0x00, 0x01, 0x23 }, (uint)PropertyContext.Publish)]           // Response Topic "#" [MQTT-3.3.2-14]
    [InlineData(new byte[] { 0x08, 0x00, 0x00 }, (uint)PropertyContext.Will)]                    // Response Topic empty
    public void TryRead_ValueOutOfRange_IsProtocolError(byte[] block, uint context)
    {
        Assert.Equal(ReasonCode.ProtocolError, ReadAll(block, (PropertyContext)context).ReasonCode);
    }

    [Theory]
    [InlineData(new byte[] { 0x11, 0x00, 0x00 })]              // four byte integer truncated
    [InlineData(new byte[] { 0x26, 0x00, 0x01, 0x61 })]        // pair without value
    [InlineData(new byte[] { 0x0B, 0x80, 0x00 })]              // non-minimal variable byte integer [MQTT-1.5.5-1]
    [InlineData(new byte[] { 0x1F, 0x00, 0x01, 0x00 })]        // reason string with U+0000 [MQTT-1.5.4-2]
    public void TryRead_BadValueEncoding_IsMalformed(byte[] block)
    {
        Assert.Equal(ReasonCode.MalformedPacket, ReadAll(block, PropertyContext.Disconnect | PropertyContext.Subscribe | PropertyContext.Connect).ReasonCode);
    }

    [Fact]
    public void PropertyDefinitions_EveryIdentifier_HasATypeAndAPlace()
    {
        foreach (var id in Enum.GetValues<PropertyId>())
        {
            Assert.NotEqual(PropertyType.None, PropertyDefinitions.GetType((int)id));
            Assert.NotEqual(PropertyContext.None, PropertyDefinitions.GetAllowedContexts(id));
        }

        Assert.Equal(27, Enum.GetValues<PropertyId>().Length);
    }
}
