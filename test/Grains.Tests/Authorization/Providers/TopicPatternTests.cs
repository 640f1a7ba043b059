using Bifro.Grains.Authorization.Providers;
using Xunit;

namespace Bifro.Grains.Tests.Authorization.Providers;

public sealed class TopicPatternTests
{
    private static readonly ClientInfo Client = new() { TenantId = "acme", UserId = "alice", ClientId = "dev-1" };

    [Theory]
    [InlineData("a/b", "a/b", true)]
    [InlineData("a/b", "a/c", false)]
    [InlineData("a/+", "a/b", true)]
    [InlineData("a/+", "a/b/c", false)]
    [InlineData("a/+", "a", false)]
    [InlineData("a/#", "a", true)]
    [InlineData("a/#", "a/b/c", true)]
    [InlineData("#", "anything/at/all", true)]
    [InlineData("+/b", "a/b", true)]
    [InlineData("a/+/c", "a//c", true)]
    [InlineData("#", "$SYS/x", false)]
    [InlineData("+/x", "$SYS/x", false)]
    [InlineData("$SYS/#", "$SYS/x", true)]
    public void Matches_TopicName(string pattern, string topic, bool expected) =>
        Assert.Equal(expected, TopicPattern.Matches(pattern, topic));

    [Theory]
    [InlineData("sensors/#", "sensors/#", true)]
    [InlineData("sensors/#", "sensors/+/temp", true)]
    [InlineData("sensors/#", "sensors", true)]
    [InlineData("sensors/+", "sensors/a", true)]
    [InlineData("sensors/+", "sensors/+", true)]
    [InlineData("sensors/+", "sensors/#", false)]
    [InlineData("sensors/a", "sensors/+", false)]
    [InlineData("sensors/+/temp", "sensors/+/#", false)]
    [InlineData("#", "#", true)]
    [InlineData("a/b", "a/b", true)]
    [InlineData("a/b", "a/b/c", false)]
    [InlineData("#", "$SYS/#", false)]
    public void Covers_SubscriptionFilter(string pattern, string filter, bool expected) =>
        Assert.Equal(expected, TopicPattern.Covers(pattern, filter));

    [Theory]
    [InlineData("users/%u/#", "users/alice/#")]
    [InlineData("clients/%c", "clients/dev-1")]
    [InlineData("%t/%u/%c", "acme/alice/dev-1")]
    [InlineData("100%/x", "100%/x")]
    [InlineData("a/%z", "a/%z")]
    public void Expand_Placeholders_Replaced(string pattern, string expected) =>
        Assert.Equal(expected, TopicPattern.Expand(pattern, Client));

    [Theory]
    [InlineData("#")]
    [InlineData("+")]
    [InlineData("a/b")]
    [InlineData("")]
    public void Expand_ValueThatWouldWidenThePattern_MatchesNothing(string clientId)
    {
        var client = new ClientInfo { TenantId = "acme", UserId = "alice", ClientId = clientId };

        Assert.Null(TopicPattern.Expand("clients/%c/#", client));
    }
}
