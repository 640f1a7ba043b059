using System.Text;
using Bifro.MqttEdge.Delivery.Matching;
using Xunit;

namespace Bifro.MqttEdge.Tests.Delivery.Matching;

public sealed class TopicFilterTests
{
    /// <summary>The examples of MQTT 5 section 4.7, plus empty levels and '$' topics.</summary>
    public static TheoryData<string, string, bool> SpecExamples => new()
    {
        // 4.7.1.2 Multi-level wildcard.
        { "sport/tennis/player1/#", "sport/tennis/player1", true },
        { "sport/tennis/player1/#", "sport/tennis/player1/ranking", true },
        { "sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true },
        { "sport/tennis/player1/#", "sport/tennis/player2", false },
        { "sport/tennis/player1/#", "sport/tennis", false },
        { "sport/#", "sport", true },
        { "sport/#", "sport/", true },
        { "sport/#", "sports", false },
        { "#", "sport/tennis/player1", true },
        { "#", "/", true },
        { "#", "a", true },

        // 4.7.1.3 Single-level wildcard.
        { "sport/tennis/+", "sport/tennis/player1", true },
        { "sport/tennis/+", "sport/tennis/player2", true },
        { "sport/tennis/+", "sport/tennis/player1/ranking", false },
        { "sport/+", "sport", false },
        { "sport/+", "sport/", true },
        { "+/+", "/finance", true },
        { "/+", "/finance", true },
        { "+", "/finance", false },
        { "+", "finance", true },
        { "+/tennis/#", "sport/tennis", true },
        { "+/tennis/#", "sport/tennis/player1/ranking", true },
        { "sport/+/player1", "sport/tennis/player1", true },
        { "sport/+/player1", "sport//player1", true },
        { "sport/+/player1", "sport/tennis/player2", false },

        // 4.7.2 Topics beginning with $.
        { "#", "$SYS/monitor/Clients", false },
        { "+/monitor/Clients", "$SYS/monitor/Clients", false },
        { "$SYS/#", "$SYS/monitor/Clients", true },
        { "$SYS/#", "$SYS", true },
        { "$SYS/monitor/+", "$SYS/monitor/Clients", true },
        { "+", "$SYS", false },
        { "a/+", "a/$x", true },
        { "a/#", "a/$x/y", true },

        // 4.7.3 Empty levels are significant, and matching is case-sensitive.
        { "a//b", "a//b", true },
        { "a/b", "a//b", false },
        { "a/+/b", "a//b", true },
        { "/a", "/a", true },
        { "/a", "a", false },
        { "a/", "a", false },
        { "a/", "a/", true },
        { "+/", "/", true },
        { "+/+", "/", true },
        { "+", "", false },
        { "ACCOUNTS", "Accounts", false },
        { "a/b/c", "a/b", false },
        { "a/b", "a/b/c", false },
    };

    [Theory]
    [MemberData(nameof(SpecExamples))]
    public void Matches_StringsFromSpecExample_AgreesWithSpec(string filter, string topic, bool expected)
    {
        Assert.Equal(expected, TopicFilter.Matches(filter, topic));
    }

    [Theory]
    [MemberData(nameof(SpecExamples))]
    public void Matches_Utf8FromSpecExample_AgreesWithSpec(string filter, string topic, bool expected)
    {
        Assert.Equal(expected, TopicFilter.Matches(Encoding.UTF8.GetBytes(filter), Encoding.UTF8.GetBytes(topic)));
    }

    [Theory]
    [InlineData("ü/+/€", "ü/ß/€", true)]
    [InlineData("ü/#", "ü", true)]
    [InlineData("日本/+", "日本/語", true)]
    [InlineData("日本/+", "日/本語", false)]
    public void Matches_NonAsciiLevels_MatchesByLevel(string filter, string topic, bool expected)
    {
        Assert.Equal(expected, TopicFilter.Matches(filter, topic));
        Assert.Equal(expected, TopicFilter.Matches(Encoding.UTF8.GetBytes(filter), Encoding.UTF8.GetBytes(topic)));
    }

    [Theory]
    [InlineData("sport/tennis/#", true)]
    [InlineData("#", true)]
    [InlineData("+", true)]
    [InlineData("+/tennis/#", true)]
    [InlineData("sport/+/player1", true)]
    [InlineData("/", true)]
    [InlineData("a//b", true)]
    [InlineData("$share", true)]
    [InlineData("sport/tennis#", false)]
    [InlineData("sport/tennis/#/ranking", false)]
    [InlineData("sport+", false)]
    [InlineData("+a", false)]
    [InlineData("a/#/", false)]
    [InlineData("##", false)]
    [InlineData("", false)]
    [InlineData("a\0b", false)]
    public void IsValid_Filter_FollowsWildcardRules(string filter, bool expected)
    {
        Assert.Equal(expected, TopicFilter.IsValid(filter));
    }
}
