using Bifro.Configuration;
using Bifro.Hosting;
using Bifro.Runtime;
using Bifro.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Bifro.Grains.Tests.Authorization;

public sealed class AuthorizationFilterTests
{
    private static readonly ClientInfo Alice = new() { TenantId = "acme", UserId = "alice", ClientId = "alice-1" };

    [Fact(Timeout = 30_000)]
    public async Task Authorize_ProviderGrants_Granted()
    {
        var provider = new ScriptedProvider(_ => CheckResult.Granted);
        await using var silo = await StartAsync(provider);

        var results = await AuthorizeAsync(silo, Alice, MqttAction.Publish("a/b", 1, false));

        Assert.Equal(CheckDecision.Granted, Assert.Single(results).Decision);
        var (client, action) = Assert.Single(provider.Calls);
        Assert.Equal("acme/alice-1", client.SessionKey);
        Assert.Equal(MqttAction.Publish("a/b", 1, false), action);
    }

    [Fact(Timeout = 30_000)]
    public async Task Authorize_ProviderDenies_DeniedPerAction()
    {
        var provider = new ScriptedProvider(action => action.Topic == "open" ? CheckResult.Granted : CheckResult.Denied("no"));
        await using var silo = await StartAsync(provider);

        var results = await AuthorizeAsync(silo, Alice, MqttAction.Subscribe("open", 0), MqttAction.Subscribe("closed", 0));

        Assert.Equal([CheckDecision.Granted, CheckDecision.Denied], results.Select(r => r.Decision));
    }

    [Fact(Timeout = 30_000)]
    public async Task Authorize_ProviderThrows_ErrorWhichDenies()
    {
        await using var silo = await StartAsync(new ScriptedProvider(_ => throw new InvalidOperationException("store down")));

        var result = Assert.Single(await AuthorizeAsync(silo, Alice, MqttAction.Connect()));

        Assert.Equal(CheckDecision.Error, result.Decision);
        Assert.False(result.IsGranted);
    }

    [Fact(Timeout = 30_000)]
    public async Task Authorize_ProviderHangs_ErrorAfterTimeout()
    {
        var provider = new HangingProvider();
        await using var silo = await StartAsync(provider, TimeSpan.FromMilliseconds(200));

        var result = Assert.Single(await AuthorizeAsync(silo, Alice, MqttAction.Publish("slow", 0, false)));

        Assert.Equal(CheckDecision.Error, result.Decision);
        Assert.Contains("timed out", result.Reason, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Authorize_NoClientInRequestContext_Denied()
    {
        var provider = new ScriptedProvider(_ => CheckResult.Granted);
        await using var silo = await StartAsync(provider);

        var results = await silo.GrainFactory.GetGrain<ISessionGrain>(Alice.SessionKey).AuthorizeAsync([MqttAction.Connect()]);

        Assert.False(Assert.Single(results).IsGranted);
        Assert.Empty(provider.Calls);
    }

    [Fact(Timeout = 30_000)]
    public async Task Authorize_ClientOfAnotherSession_Denied()
    {
        var provider = new ScriptedProvider(_ => CheckResult.Granted);
        await using var silo = await StartAsync(provider);

        RequestContext.Set(ClientInfo.RequestContextKey, Alice);
        try
        {
            var results = await silo.GrainFactory.GetGrain<ISessionGrain>("globex/alice-1").AuthorizeAsync([MqttAction.Connect()]);
            Assert.False(Assert.Single(results).IsGranted);
        }
        finally
        {
            RequestContext.Clear();
        }

        Assert.Empty(provider.Calls);
    }

    [Fact(Timeout = 30_000)]
    public async Task Authorize_CallsSerialized_ClientActionAndResultCrossTheWire()
    {
        var provider = new ScriptedProvider(action => action.Retain ? CheckResult.Denied("retain") : CheckResult.Granted);
        await using var silo = await StartAsync(provider, serialize: true);
        var client = new ClientInfo
        {
            TenantId = "acme",
            UserId = "alice",
            ClientId = "alice-1",
            RemoteAddress = "10.0.0.1",
            RemotePort = 4711,
            Attributes = new Dictionary<string, string> { ["role"] = "ops" },
        };

        var results = await AuthorizeAsync(silo, client, MqttAction.Publish("t", 2, true), MqttAction.Subscribe("f/#", 1, "g"));

        Assert.Equal([CheckDecision.Denied, CheckDecision.Granted], results.Select(r => r.Decision));
        Assert.Equal("retain", results[0].Reason);
        var seen = provider.Calls.First().Client;
        Assert.NotSame(client, seen);
        Assert.Equal("10.0.0.1", seen.RemoteAddress);
        Assert.Equal(4711, seen.RemotePort);
        Assert.Equal("ops", seen.Attributes!["role"]);
        Assert.Equal(MqttAction.Subscribe("f/#", 1, "g"), provider.Calls.Last().Action);
    }

    [Fact(Timeout = 30_000)]
    public async Task OtherCalls_PassThroughTheFilter()
    {
        var provider = new ScriptedProvider(_ => CheckResult.Granted);
        await using var silo = await StartAsync(provider);

        var info = await silo.GrainFactory.GetGrain<ISessionGrain>("acme/nobody").GetInfoAsync();

        Assert.False(info.Exists);
        Assert.Empty(provider.Calls);
    }

    [Fact(Timeout = 30_000)]
    public async Task Authorize_WithoutFilter_GrainDeniesEverything()
    {
        await using var silo = await TestSilo.StartAsync(services: s => s.AddSingleton<IMessagePublisher, NullPublisher>());

        var results = await AuthorizeAsync(silo, Alice, MqttAction.Connect(), MqttAction.Publish("a", 0, false));

        Assert.All(results, r => Assert.False(r.IsGranted));
    }

    private static async Task<CheckResult[]> AuthorizeAsync(TestSilo silo, ClientInfo client, params MqttAction[] actions)
    {
        RequestContext.Set(ClientInfo.RequestContextKey, client);
        try
        {
            return await silo.GrainFactory.GetGrain<ISessionGrain>(client.SessionKey).AuthorizeAsync(actions);
        }
        finally
        {
            RequestContext.Clear();
        }
    }

    private static Task<TestSilo> StartAsync(IAuthProvider provider, TimeSpan? timeout = null, bool serialize = false) =>
        TestSilo.StartAsync(
            silo =>
            {
                silo.AddMqttAuthorization(o => o.Timeout = timeout ?? TimeSpan.FromSeconds(5)).UseAuthProvider(provider);
                silo.Configure<MessagingOptions>(o => o.SerializeLocalCalls = serialize);
            },
            services => services.AddSingleton<IMessagePublisher, NullPublisher>());

    private sealed class ScriptedProvider(Func<MqttAction, CheckResult> decide) : IAuthProvider
    {
        public System.Collections.Concurrent.ConcurrentQueue<(ClientInfo Client, MqttAction Action)> Calls { get; } = new();

        public ValueTask<AuthResult> AuthenticateAsync(AuthRequest request, CancellationToken cancellationToken) =>
            ValueTask.FromResult(AuthResult.Ok("acme", "alice"));

        public ValueTask<CheckResult> CheckPermissionAsync(ClientInfo client, MqttAction action, CancellationToken cancellationToken)
        {
            Calls.Enqueue((client, action));
            return ValueTask.FromResult(decide(action));
        }
    }

    private sealed class HangingProvider : IAuthProvider
    {
        public ValueTask<AuthResult> AuthenticateAsync(AuthRequest request, CancellationToken cancellationToken) =>
            new(new TaskCompletionSource<AuthResult>().Task);

        // Ignores its cancellation token, as a badly written provider might: the guard's own deadline still ends the wait.
        public ValueTask<CheckResult> CheckPermissionAsync(ClientInfo client, MqttAction action, CancellationToken cancellationToken) =>
            new(new TaskCompletionSource<CheckResult>().Task);
    }

    private sealed class NullPublisher : IMessagePublisher
    {
        public Task PublishAsync(string tenant, MqttMessage message, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
