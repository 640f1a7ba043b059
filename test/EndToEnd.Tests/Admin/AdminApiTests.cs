using System.Globalization;
using System.Text.Json;
using Bifro.EndToEnd.Tests.Clients;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests.Admin;

/// <summary>The admin API of a running node, called with curl, with mosquitto clients on the MQTT side.</summary>
[Trait("Category", "EndToEnd")]
public sealed class AdminApiTests(AdminBrokerFixture fixture) : IClassFixture<AdminBrokerFixture>
{
    private const string Token = AdminBrokerFixture.Token;

    [Fact(Timeout = 60_000)]
    public async Task AdminApi_NoToken_Answers401WithProblem()
    {
        var response = await Curl.GetAsync($"{fixture.Url}/api/sessions");

        Assert.True(response.Status == 401, response.Raw);
        using var problem = JsonDocument.Parse(response.Body);
        Assert.Contains("bearer token is required", problem.RootElement.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact(Timeout = 60_000)]
    public async Task AdminApi_WrongToken_Answers401()
    {
        var response = await Curl.GetAsync($"{fixture.Url}/api/cluster/members", "not-the-token-0123456789");

        Assert.True(response.Status == 401, response.Raw);
        Assert.Contains("not valid", response.Body, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task AdminApi_Token_ListsClusterMembers()
    {
        var response = await Curl.GetAsync($"{fixture.Url}/api/cluster/members", Token);

        Assert.True(response.Status == 200, response.Raw);
        using var body = JsonDocument.Parse(response.Body);
        var member = Assert.Single(body.RootElement.GetProperty("members").EnumerateArray());
        Assert.Equal("Active", member.GetProperty("status").GetString());
        Assert.True(member.GetProperty("isLocal").GetBoolean());
    }

    [Fact(Timeout = 60_000)]
    public async Task Health_WithoutToken_LiveAndReady()
    {
        var live = await Curl.GetAsync($"{fixture.Url}/health/live");
        var ready = await Curl.GetAsync($"{fixture.Url}/health/ready");

        Assert.True(live.Status == 200, live.Raw);
        Assert.True(ready.Status == 200, ready.Raw);
        Assert.Contains("\"membership\":\"active\"", ready.Body, StringComparison.Ordinal);
        Assert.Contains("\"listeners\":\"started\"", ready.Body, StringComparison.Ordinal);
    }

    [Fact(Timeout = 90_000)]
    public async Task Sessions_ConnectedMosquittoSub_IsListedAndInspected()
    {
        await using var subscriber = await Mosquitto.StartSubscriberAsync(fixture.Broker, "5", "-i", "admin-listed", "-t", "admin/listed/#", "-q", "1");

        var list = await Curl.GetAsync($"{fixture.Url}/api/sessions?tenant=default", Token);
        var detail = await Curl.GetAsync($"{fixture.Url}/api/sessions/default/admin-listed", Token);

        Assert.True(list.Status == 200, list.Raw);
        using var sessions = JsonDocument.Parse(list.Body);
        var session = Assert.Single(sessions.RootElement.GetProperty("sessions").EnumerateArray(), s => s.GetProperty("clientId").GetString() == "admin-listed");
        Assert.True(session.GetProperty("connected").GetBoolean());
        Assert.Equal(5, session.GetProperty("protocolVersion").GetInt32());

        Assert.True(detail.Status == 200, detail.Raw);
        using var inspected = JsonDocument.Parse(detail.Body);
        Assert.Equal("admin/listed/#", Assert.Single(inspected.RootElement.GetProperty("subscriptions").EnumerateArray()).GetProperty("filter").GetString());
        var connection = inspected.RootElement.GetProperty("connection");
        Assert.Equal("tcp", connection.GetProperty("listener").GetString());
        Assert.StartsWith("127.0.0.1:", connection.GetProperty("remoteEndPoint").GetString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Sessions_UnknownClient_Answers404()
    {
        var response = await Curl.GetAsync($"{fixture.Url}/api/sessions/default/admin-nobody", Token);

        Assert.True(response.Status == 404, response.Raw);
        Assert.Contains("admin-nobody", response.Body, StringComparison.Ordinal);
    }

    [Fact(Timeout = 90_000)]
    public async Task Sessions_Expire_DisconnectsMqtt5ClientWithAdministrativeAction()
    {
        await using var subscriber = await Mosquitto.StartSubscriberAsync(fixture.Broker, "5", "-i", "admin-expired", "-t", "admin/expired");

        var response = await Curl.SendAsync("DELETE", $"{fixture.Url}/api/sessions/default/admin-expired", Token);

        Assert.True(response.Status == 200, response.Raw);
        Assert.Contains("\"disconnected\":true", response.Body, StringComparison.Ordinal);

        // 0x98 Administrative Action.
        await subscriber.WaitForLineAsync("Received DISCONNECT (152)", Mosquitto.DefaultTimeout);
    }

    [Fact(Timeout = 90_000)]
    public async Task Publish_ViaAdmin_ReachesMosquittoSub()
    {
        await using var subscriber = await Mosquitto.StartSubscriberAsync(fixture.Broker, "311", "-t", "admin/publish/#", "-q", "1", "-v");

        var response = await Curl.SendAsync("POST", $"{fixture.Url}/api/publish", Token, """{"topic":"admin/publish/x","payload":"from admin","qos":1}""");

        Assert.True(response.Status == 200, response.Raw);
        await subscriber.WaitForLineAsync("admin/publish/x from admin", Mosquitto.DefaultTimeout);
    }

    [Fact(Timeout = 60_000)]
    public async Task Publish_WildcardTopic_Answers400NamingTheProblem()
    {
        var response = await Curl.SendAsync("POST", $"{fixture.Url}/api/publish", Token, """{"topic":"admin/+/x","payload":"no"}""");

        Assert.True(response.Status == 400, response.Raw);
        Assert.Contains("application/problem+json", (await Curl.RunAsync("-s", "-o", "/dev/null", "-w", "%{content_type}", "-H", $"Authorization: Bearer {Token}", "-X", "POST", "-H", "Content-Type: application/json", "--data-binary", """{"topic":"#"}""", $"{fixture.Url}/api/publish")).Raw, StringComparison.Ordinal);
        Assert.Contains("wildcard", response.Body, StringComparison.Ordinal);
    }

    [Fact(Timeout = 90_000)]
    public async Task Retained_ReadThenClear_GoneForNewSubscribers()
    {
        var published = await Mosquitto.PublishAsync(fixture.Broker, "311", "-t", "admin/retained/one", "-m", "kept", "-r", "-q", "1");
        Assert.True(published.ExitCode == 0, published.ToString());

        var read = await Curl.GetAsync($"{fixture.Url}/api/retained?filter=admin/retained/%23", Token);
        var cleared = await Curl.SendAsync("DELETE", $"{fixture.Url}/api/retained?topic=admin/retained/one", Token);
        var again = await Curl.SendAsync("DELETE", $"{fixture.Url}/api/retained?topic=admin/retained/one", Token);
        var after = await Curl.GetAsync($"{fixture.Url}/api/retained?filter=admin/retained/%23", Token);
        var late = await Mosquitto.SubscribeAsync(fixture.Broker, "311", "-t", "admin/retained/#", "-W", "2", "-v");

        Assert.True(read.Status == 200, read.Raw);
        using (var body = JsonDocument.Parse(read.Body))
        {
            var message = Assert.Single(body.RootElement.GetProperty("messages").EnumerateArray());
            Assert.Equal("admin/retained/one", message.GetProperty("topic").GetString());
            Assert.Equal("kept", message.GetProperty("payload").GetString());
        }

        Assert.True(cleared.Status == 200, cleared.Raw);
        Assert.True(again.Status == 404, again.Raw);
        Assert.Contains("\"messages\":[]", after.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("kept", late.StandardOutput, StringComparison.Ordinal);
    }

    [Fact(Timeout = 90_000)]
    public async Task Metrics_AfterMosquittoPub_CountersMove()
    {
        var before = await MetricsAsync();
        await using var subscriber = await Mosquitto.StartSubscriberAsync(fixture.Broker, "311", "-t", "admin/metrics", "-q", "1", "-v");
        for (var i = 0; i < 3; i++)
        {
            var result = await Mosquitto.PublishAsync(fixture.Broker, "311", "-t", "admin/metrics", "-m", "0123456789", "-q", "1");
            Assert.True(result.ExitCode == 0, result.ToString());
        }

        await Eventually.TrueAsync(() => Mosquitto.Messages(subscriber, "admin/metrics").Count == 3, Mosquitto.DefaultTimeout);

        // The edge sums its connections at most once a second; a later scrape sees the new counts.
        Dictionary<string, double> after = [];
        await Eventually.TrueAsync(
            async () =>
            {
                after = await MetricsAsync();
                return Value(after, "bifro_mqtt_messages_sent_total{tenant=\"default\",qos=\"1\"}") >= Value(before, "bifro_mqtt_messages_sent_total{tenant=\"default\",qos=\"1\"}") + 3;
            },
            TimeSpan.FromSeconds(20));

        Assert.True(Value(after, "bifro_mqtt_messages_received_total{tenant=\"default\",qos=\"1\"}") >= Value(before, "bifro_mqtt_messages_received_total{tenant=\"default\",qos=\"1\"}") + 3);
        Assert.True(Value(after, "bifro_mqtt_messages_received_bytes_total{tenant=\"default\",qos=\"1\"}") >= Value(before, "bifro_mqtt_messages_received_bytes_total{tenant=\"default\",qos=\"1\"}") + 30);
        Assert.True(Value(after, "bifro_mqtt_connections_accepted_total") >= Value(before, "bifro_mqtt_connections_accepted_total") + 4);
        Assert.True(Value(after, "bifro_mqtt_authentications_total{outcome=\"granted\"}") >= Value(before, "bifro_mqtt_authentications_total{outcome=\"granted\"}") + 4);
        Assert.True(Value(after, "bifro_mqtt_connections{tenant=\"default\"}") >= 1);
        Assert.True(Value(after, "bifro_grain_call_duration_seconds_count{interface=\"Bifro.Grains.ISessionGrain\",outcome=\"ok\"}") > 0);
    }

    [Fact(Timeout = 60_000)]
    public async Task Metrics_NoToken_Answers401()
    {
        var response = await Curl.GetAsync($"{fixture.Url}/metrics");

        Assert.True(response.Status == 401, response.Raw);
    }

    [Fact(Timeout = 120_000)]
    public async Task Cli_AgainstRunningNode_ListsPublishesAndReadsRetained()
    {
        await using var subscriber = await Mosquitto.StartSubscriberAsync(fixture.Broker, "311", "-i", "admin-cli-sub", "-t", "admin/cli/#", "-v");
        var environment = new Dictionary<string, string> { ["BIFRO_ADMIN_URL"] = fixture.Url, ["BIFRO_ADMIN_TOKEN"] = Token };

        var list = await BifroAsync(environment, "admin", "sessions", "list", "--tenant", "default");
        var publish = await BifroAsync(environment, "admin", "publish", "-t", "admin/cli/x", "-m", "via cli", "-r");
        await subscriber.WaitForLineAsync("admin/cli/x via cli", Mosquitto.DefaultTimeout);
        var retained = await BifroAsync(environment, "admin", "retained", "get", "--filter", "admin/cli/#");
        var cleared = await BifroAsync(environment, "admin", "retained", "clear", "--topic", "admin/cli/x");
        var members = await BifroAsync(environment, "admin", "cluster", "members");
        var refused = await BifroAsync(new Dictionary<string, string> { ["BIFRO_ADMIN_URL"] = fixture.Url }, "admin", "cluster", "members");

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("\"admin-cli-sub\"", list.StandardOutput, StringComparison.Ordinal);
        Assert.True(publish.ExitCode == 0, publish.ToString());
        Assert.True(retained.ExitCode == 0, retained.ToString());
        Assert.Contains("via cli", retained.StandardOutput, StringComparison.Ordinal);
        Assert.True(cleared.ExitCode == 0, cleared.ToString());
        Assert.Contains("\"cleared\": 1", cleared.StandardOutput, StringComparison.Ordinal);
        Assert.True(members.ExitCode == 0, members.ToString());
        Assert.Contains("Active", members.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("401", refused.StandardError, StringComparison.Ordinal);
    }

    [Fact(Timeout = 90_000)]
    public async Task Kick_ViaAdmin_Mqtt5ClientGetsAdministrativeAction_SessionStays()
    {
        await using var subscriber = await Mosquitto.StartSubscriberAsync(fixture.Broker, "5", "-i", "admin-kicked", "-c", "-x", "300", "-t", "admin/kicked", "-q", "1");

        var response = await Curl.SendAsync("POST", $"{fixture.Url}/api/kick", Token, """{"tenant":"default","clientId":"admin-kicked","reason":"maintenance"}""");

        Assert.True(response.Status == 200, response.Raw);
        await subscriber.WaitForLineAsync("Received DISCONNECT (152)", Mosquitto.DefaultTimeout);
        await Eventually.TrueAsync(
            async () => (await Curl.GetAsync($"{fixture.Url}/api/sessions/default/admin-kicked", Token)).Body.Contains("\"connected\":false", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20));
        var again = await Curl.SendAsync("POST", $"{fixture.Url}/api/kick", Token, """{"clientId":"admin-kicked"}""");
        Assert.True(again.Status == 404, again.Raw);
    }

    [Fact(Timeout = 90_000)]
    public async Task Bans_AddListRemove_BannedClientIdRefusedThenAdmitted()
    {
        var added = await Curl.SendAsync("POST", $"{fixture.Url}/api/bans", Token, """{"kind":"ClientId","value":"admin-banned","durationSeconds":600,"reason":"test"}""");
        Assert.True(added.Status == 201, added.Raw);
        string id;
        using (var ban = JsonDocument.Parse(added.Body))
        {
            id = ban.RootElement.GetProperty("id").GetString()!;
            Assert.Equal("admin", ban.RootElement.GetProperty("source").GetString());
        }

        var listed = await Curl.GetAsync($"{fixture.Url}/api/bans?tenant=default", Token);
        var refused = await Mosquitto.PublishAsync(fixture.Broker, "5", "-i", "admin-banned", "-t", "admin/banned", "-m", "x");
        var removed = await Curl.SendAsync("DELETE", $"{fixture.Url}/api/bans/{id}?tenant=default", Token);
        var admitted = await Mosquitto.PublishAsync(fixture.Broker, "5", "-i", "admin-banned", "-t", "admin/banned", "-m", "x");
        var badKind = await Curl.SendAsync("POST", $"{fixture.Url}/api/bans", Token, """{"kind":"Nickname","value":"x"}""");
        var badCidr = await Curl.SendAsync("POST", $"{fixture.Url}/api/bans", Token, """{"cluster":true,"kind":"Cidr","value":"10.0.0.0/99"}""");

        Assert.Contains(id, listed.Body, StringComparison.Ordinal);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("anned", refused.StandardError + refused.StandardOutput, StringComparison.Ordinal);
        Assert.True(removed.Status == 200, removed.Raw);
        Assert.DoesNotContain(id, removed.Body, StringComparison.Ordinal);
        Assert.True(admitted.ExitCode == 0, admitted.ToString());
        Assert.True(badKind.Status == 400, badKind.Raw);
        Assert.Contains("ClientId, User, Address, Cidr", badKind.Body, StringComparison.Ordinal);
        Assert.True(badCidr.Status == 400, badCidr.Raw);
    }

    [Fact(Timeout = 120_000)]
    public async Task Cli_BansAndKick_AgainstRunningNode()
    {
        await using var subscriber = await Mosquitto.StartSubscriberAsync(fixture.Broker, "5", "-i", "admin-cli-kicked", "-t", "admin/cli/kicked");
        var environment = new Dictionary<string, string> { ["BIFRO_ADMIN_URL"] = fixture.Url, ["BIFRO_ADMIN_TOKEN"] = Token };

        var kick = await BifroAsync(environment, "admin", "sessions", "kick", "default", "admin-cli-kicked", "--reason", "cli");
        await subscriber.WaitForLineAsync("Received DISCONNECT (152)", Mosquitto.DefaultTimeout);
        var add = await BifroAsync(environment, "admin", "bans", "add", "--cluster", "--kind", "Cidr", "--value", "198.51.100.0/24", "--duration", "60");
        var list = await BifroAsync(environment, "admin", "bans", "list", "--cluster");
        string id;
        using (var ban = JsonDocument.Parse(add.StandardOutput))
        {
            id = ban.RootElement.GetProperty("id").GetString()!;
        }

        var remove = await BifroAsync(environment, "admin", "bans", "remove", id, "--cluster");
        var missing = await BifroAsync(environment, "admin", "bans", "remove", id, "--cluster");

        Assert.True(kick.ExitCode == 0, kick.ToString());
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("198.51.100.0/24", list.StandardOutput, StringComparison.Ordinal);
        Assert.True(remove.ExitCode == 0, remove.ToString());
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("404", missing.StandardError, StringComparison.Ordinal);
    }

    private async Task<Dictionary<string, double>> MetricsAsync()
    {
        var response = await Curl.GetAsync($"{fixture.Url}/metrics", Token);
        Assert.True(response.Status == 200, response.Raw);
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in response.Body.Split('\n'))
        {
            var space = line.LastIndexOf(' ');
            if (line.Length > 0 && line[0] != '#' && space > 0)
            {
                values[line[..space]] = double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return values;
    }

    private static double Value(Dictionary<string, double> metrics, string series) => metrics.GetValueOrDefault(series);

    private static Task<ProcessResult> BifroAsync(Dictionary<string, string> environment, params string[] arguments) =>
        ExternalProcess.RunAsync("dotnet", [RepositoryPaths.NodeAssembly, .. arguments], TimeSpan.FromSeconds(60), environment: environment);
}
