using System.Text;
using Bifro.MqttEdge.Codec.Validation;
using Xunit;

namespace Bifro.MqttEdge.Tests.Codec.Validation;

public sealed class SharedSubscriptionTests
{
    [Theory]
    [InlineData("$share/group/a/b", "group", "a/b")]
    [InlineData("$share/g/#", "g", "#")]
    [InlineData("$share/g/+/x", "g", "+/x")]
    [InlineData("$share/g//", "g", "/")]
    public void TryParse_ValidShared_SplitsGroupAndFilter(string input, string group, string filter)
    {
        var status = SharedSubscription.TryParse(Encoding.UTF8.GetBytes(input), out var shareName, out var topicFilter);
        Assert.Equal(SharedSubscriptionStatus.Valid, status);
        Assert.Equal(group, Encoding.UTF8.GetString(shareName));
        Assert.Equal(filter, Encoding.UTF8.GetString(topicFilter));
    }

    [Theory]
    [InlineData("$share//a")]        // [MQTT-4.8.2-1] empty ShareName
    [InlineData("$share/g")]         // no filter
    [InlineData("$share/g/")]        // empty filter
    [InlineData("$share/g+/a")]      // [MQTT-4.8.2-2]
    [InlineData("$share/#/a")]       // [MQTT-4.8.2-2]
    [InlineData("$share/g/a/#/b")]   // invalid filter
    [InlineData("$share/")]
    public void TryParse_InvalidShared_IsInvalid(string input)
    {
        Assert.Equal(SharedSubscriptionStatus.Invalid, SharedSubscription.TryParse(Encoding.UTF8.GetBytes(input), out _, out _));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("$share")]
    [InlineData("$SHARE/g/a")]
    [InlineData("$sys/x")]
    public void TryParse_NotShared_IsNotShared(string input)
    {
        Assert.Equal(SharedSubscriptionStatus.NotShared, SharedSubscription.TryParse(Encoding.UTF8.GetBytes(input), out _, out _));
    }
}
