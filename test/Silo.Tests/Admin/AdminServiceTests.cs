using Bifro.Silo.Admin;
using Xunit;

namespace Bifro.Silo.Tests.Admin;

/// <summary>What the admin API refuses before it asks any grain, with a message that says what to change.</summary>
public sealed class AdminServiceTests
{
    [Theory(Timeout = 10_000)]
    [InlineData("a/+/b", "wildcard")]
    [InlineData("a/#", "wildcard")]
    [InlineData("a\0b", "U+0000")]
    public async Task CheckTopicName_Invalid_BadRequestSayingWhy(string topic, string why)
    {
        await Task.Yield();
        var problem = Assert.Throws<AdminProblemException>(() => AdminService.CheckTopicName(topic));

        Assert.Equal(400, problem.StatusCode);
        Assert.Contains(why, problem.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory(Timeout = 10_000)]
    [InlineData("a/#/b")]
    [InlineData("a+/b")]
    [InlineData("$share/group/a")]
    public async Task CheckTopicFilter_Invalid_BadRequest(string filter)
    {
        await Task.Yield();
        Assert.Equal(400, Assert.Throws<AdminProblemException>(() => AdminService.CheckTopicFilter(filter)).StatusCode);
    }

    [Theory(Timeout = 10_000)]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(AdminService.MaxLimit + 1)]
    public async Task CheckLimit_OutOfRange_BadRequestNamingTheRange(int limit)
    {
        await Task.Yield();
        var problem = Assert.Throws<AdminProblemException>(() => AdminService.CheckLimit(limit));

        Assert.Contains($"between 1 and {AdminService.MaxLimit}", problem.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 10_000)]
    public async Task CheckLimit_Missing_Default()
    {
        await Task.Yield();
        Assert.Equal(AdminService.DefaultLimit, AdminService.CheckLimit(null));
    }

    [Theory(Timeout = 10_000)]
    [InlineData("a/b")]
    [InlineData("")]
    public async Task CheckTenant_Invalid_BadRequest(string tenant)
    {
        await Task.Yield();
        Assert.Equal(400, Assert.Throws<AdminProblemException>(() => AdminService.CheckTenant(tenant)).StatusCode);
    }
}
