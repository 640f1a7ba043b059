using System.Text;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Validation;
using Xunit;

namespace Bifro.MqttEdge.Tests.Codec.Validation;

public sealed class TopicValidatorTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("/")]
    [InlineData("a//b")]
    [InlineData("$SYS/x")]
    [InlineData("sport/tennis/player1")]
    [InlineData(" ")]
    public void IsValidTopicName_ValidNames_True(string topic)
    {
        Assert.True(TopicValidator.IsValidTopicName(Encoding.UTF8.GetBytes(topic)));
        Assert.True(TopicValidator.TryValidateTopicName(Encoding.UTF8.GetBytes(topic), out _));
    }

    [Theory]
    [InlineData("a/+")]
    [InlineData("a/#")]
    [InlineData("+")]
    [InlineData("a+b")]
    public void TryValidateTopicName_Wildcard_IsTopicNameInvalid(string topic)
    {
        // [MQTT-3.3.2-2]
        Assert.False(TopicValidator.TryValidateTopicName(Encoding.UTF8.GetBytes(topic), out var error));
        Assert.Equal(ReasonCode.TopicNameInvalid, error.ReasonCode);
        Assert.Equal("MQTT-3.3.2-2", error.Statement);
    }

    [Fact]
    public void TryValidateTopicName_Empty_IsTopicNameInvalid()
    {
        // [MQTT-4.7.3-1]
        Assert.False(TopicValidator.TryValidateTopicName([], out var error));
        Assert.Equal(ReasonCode.TopicNameInvalid, error.ReasonCode);
        Assert.Equal("MQTT-4.7.3-1", error.Statement);
    }

    [Fact]
    public void TryValidateTopicName_IllFormedUtf8_IsMalformed()
    {
        Assert.False(TopicValidator.TryValidateTopicName([0x61, 0xFF], out var error));
        Assert.Equal(ReasonCode.MalformedPacket, error.ReasonCode);
    }

    [Theory]
    [InlineData("#")]
    [InlineData("+")]
    [InlineData("a/#")]
    [InlineData("a/+/b")]
    [InlineData("+/+")]
    [InlineData("/+")]
    [InlineData("+/")]
    [InlineData("a/b")]
    [InlineData("$share/g/a")]    // not special for plain filter syntax
    public void IsValidTopicFilter_ValidFilters_True(string filter)
    {
        Assert.True(TopicValidator.IsValidTopicFilter(Encoding.UTF8.GetBytes(filter)));
    }

    [Theory]
    [InlineData("")]              // [MQTT-4.7.3-1]
    [InlineData("a#")]            // [MQTT-4.7.1-1]
    [InlineData("a/#/b")]         // [MQTT-4.7.1-1]
    [InlineData("#/")]            // [MQTT-4.7.1-1]
    [InlineData("a+")]            // [MQTT-4.7.1-2]
    [InlineData("+a")]            // [MQTT-4.7.1-2]
    [InlineData("a/b+/c")]        // [MQTT-4.7.1-2]
    [InlineData("++")]            // [MQTT-4.7.1-2]
    public void IsValidTopicFilter_InvalidFilters_False(string filter)
    {
        Assert.False(TopicValidator.IsValidTopicFilter(Encoding.UTF8.GetBytes(filter)));
        Assert.False(TopicValidator.TryValidateTopicFilter(Encoding.UTF8.GetBytes(filter), out var error));
        Assert.Equal(ReasonCode.TopicFilterInvalid, error.ReasonCode);
    }
}
