using System.Text;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Properties;
using Xunit;
using static Bifro.MqttEdge.Tests.Codec.Support.Bytes;

namespace Bifro.MqttEdge.Tests.Codec.Properties;

public sealed class PublishPropertiesTests
{
    [Fact]
    public void CopyUserPropertiesTo_InterleavedWithOthers_CopiesOnlyUserPropertiesInOrder()
    {
        var first = Concat(B(0x26), S("a"), S("1"));
        var second = Concat(B(0x26), S("b"), S("22"));
        var block = Concat(B(0x01, 1), first, B(0x23), U16(4), second, B(0x0B, 5));

        Assert.True(PublishProperties.TryRead(block, out var properties, out var error), error.ToString());

        Assert.Equal(2, properties.UserPropertyCount);
        Assert.Equal(first.Length + second.Length, properties.UserPropertiesLength);
        var destination = new byte[properties.UserPropertiesLength];
        Assert.Equal(destination.Length, properties.CopyUserPropertiesTo(destination));
        Assert.Equal(Concat(first, second), destination);
        Assert.Equal((byte)1, properties.PayloadFormatIndicator);
        Assert.Equal(4, properties.TopicAlias);
        Assert.Equal(1, properties.SubscriptionIdentifierCount);
    }

    [Fact]
    public void CopyUserPropertiesTo_OnlyUserProperties_CopiesBlock()
    {
        var block = Concat(B(0x26), S("x"), S("y"), B(0x26), S("x"), S("z"));
        Assert.True(PublishProperties.TryRead(block, out var properties, out _));
        var destination = new byte[block.Length];
        properties.CopyUserPropertiesTo(destination);
        Assert.Equal(block, destination);
    }

    [Fact]
    public void UserProperties_Enumerated_YieldsUtf8Pairs()
    {
        var block = Concat(B(0x26), S("é"), S("1"), B(0x02), U32(9), B(0x26), S("k"), S(""));
        Assert.True(PublishProperties.TryRead(block, out var properties, out _));
        var pairs = new List<string>();
        foreach (var (name, value) in properties.UserProperties)
        {
            pairs.Add(Encoding.UTF8.GetString(name) + "=" + Encoding.UTF8.GetString(value));
        }

        Assert.Equal(["é=1", "k="], pairs);
        Assert.Equal(9u, properties.MessageExpiryInterval);
    }

    [Fact]
    public void SubscriptionIdentifiers_Several_EnumeratedInOrder()
    {
        var block = Concat(B(0x0B), Vbi(1), B(0x0B), Vbi(200), B(0x0B), Vbi(268_435_455));
        Assert.True(PublishProperties.TryRead(block, out var properties, out _));
        var ids = new List<int>();
        foreach (var id in properties.SubscriptionIdentifiers)
        {
            ids.Add(id);
        }

        Assert.Equal([1, 200, 268_435_455], ids);
        Assert.Equal(3, properties.SubscriptionIdentifierCount);
    }

    [Fact]
    public void TryRead_AbsentProperties_ReportAbsent()
    {
        Assert.True(PublishProperties.TryRead([], out var properties, out _));
        Assert.Null(properties.PayloadFormatIndicator);
        Assert.Null(properties.MessageExpiryInterval);
        Assert.False(properties.HasContentType);
        Assert.False(properties.HasCorrelationData);
        Assert.False(properties.HasResponseTopic);
        Assert.Equal(0, properties.TopicAlias);
        Assert.Equal(0, properties.CopyUserPropertiesTo([]));
    }

    [Fact]
    public void TryRead_RepeatedContentType_IsProtocolError()
    {
        Assert.False(PublishProperties.TryRead(Concat(B(0x03), S("a"), B(0x03), S("b")), out _, out var error));
        Assert.Equal(ReasonCode.ProtocolError, error.ReasonCode);
    }

    [Fact]
    public void UserPropertyEncoding_Encode_MatchesWireForm()
    {
        var encoded = UserPropertyEncoding.Encode([new UserProperty("a", "1"), new UserProperty("ü", "")]);
        Assert.Equal(Concat(B(0x26), S("a"), S("1"), B(0x26), S("ü"), S("")), encoded);
    }
}
