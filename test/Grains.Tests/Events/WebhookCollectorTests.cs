using System.Net;
using System.Text.Json;
using Bifro.Configuration;
using Bifro.Grains.Events;
using Bifro.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Bifro.Grains.Tests.Events;

/// <summary>The webhook collector against a real HTTP endpoint on loopback.</summary>
public sealed class WebhookCollectorTests : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<JsonElement[]> _batches = new();
    private readonly Queue<HttpStatusCode> _answers = new();
    private readonly Task _serving;
    private string? _authorization;

    public WebhookCollectorTests()
    {
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/events/");
        _listener.Start();
        _serving = ServeAsync();
    }

    private int Port { get; }

    private string Url => $"http://127.0.0.1:{Port}/events/";

    [Fact(Timeout = 30_000)]
    public async Task Events_PostedAsJsonArrays_InBatchesInOrder_WithTheConfiguredHeaders()
    {
        await using var webhook = Create(new WebhookCollectorOptions { Url = Url, BatchSize = 3, Headers = { ["Authorization"] = "Bearer s3cret" } });

        await webhook.ReportAsync(Connected(7), CancellationToken.None);

        await Eventually.TrueAsync(() => Posted().Count == 7, TimeSpan.FromSeconds(10));
        Assert.Equal(Enumerable.Range(0, 7), Posted().Select(e => e.GetProperty("keepAliveSeconds").GetInt32()));
        lock (_batches)
        {
            Assert.All(_batches, b => Assert.True(b.Length <= 3));
        }

        var first = Posted()[0];
        Assert.Equal("ClientConnected", first.GetProperty("type").GetString());
        Assert.Equal("acme", first.GetProperty("tenantId").GetString());
        Assert.Equal("Bearer s3cret", _authorization);
        Assert.Equal(7, webhook.Posted);
    }

    [Fact(Timeout = 30_000)]
    public async Task FailedPosts_RetriedWithBackoff_ThenDelivered()
    {
        lock (_answers)
        {
            _answers.Enqueue(HttpStatusCode.InternalServerError);
            _answers.Enqueue(HttpStatusCode.ServiceUnavailable);
        }

        await using var webhook = Create(new WebhookCollectorOptions { Url = Url, RetryBackoff = TimeSpan.FromMilliseconds(50), MaxAttempts = 5 });
        await webhook.ReportAsync(Connected(2), CancellationToken.None);

        await Eventually.TrueAsync(() => webhook.Posted == 2, TimeSpan.FromSeconds(10));
        Assert.Equal(0, webhook.Dropped);
        lock (_batches)
        {
            // Three requests came: the two refused ones and the accepted one.
            Assert.Equal(3, _batches.Count);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task EndpointKeepsFailing_BatchDroppedAfterMaxAttemptsAndCounted()
    {
        lock (_answers)
        {
            for (var i = 0; i < 10; i++)
            {
                _answers.Enqueue(HttpStatusCode.BadGateway);
            }
        }

        await using var webhook = Create(new WebhookCollectorOptions { Url = Url, RetryBackoff = TimeSpan.FromMilliseconds(10), MaxAttempts = 3 });
        await webhook.ReportAsync(Connected(4), CancellationToken.None);

        await Eventually.TrueAsync(() => webhook.Dropped == 4, TimeSpan.FromSeconds(10));
        Assert.Equal(1, webhook.FailedBatches);
        Assert.Equal(0, webhook.Posted);
    }

    [Fact(Timeout = 30_000)]
    public async Task UnreachableEndpoint_BacklogBounded_NewEventsDroppedAndCounted()
    {
        var unreachable = $"http://127.0.0.1:{FreePort.Next()}/nobody-listens/";
        await using var webhook = Create(new WebhookCollectorOptions { Url = unreachable, MaxBacklog = 10, BatchSize = 1, RetryBackoff = TimeSpan.FromSeconds(10) });

        await webhook.ReportAsync(Connected(50), CancellationToken.None);

        // One batch is out (retrying), ten wait in the backlog, the rest were never taken.
        Assert.InRange(webhook.Dropped, 39, 40);
        Assert.InRange(webhook.Backlog, 9, 10);
    }

    public async ValueTask DisposeAsync()
    {
        // Close, not Stop then Close: after Stop, Close binds the port again to remove its prefix (the managed
        // HttpListener), and fails with 'address already in use' while a client's connection still holds it.
        _listener.Close();
        try
        {
            await _serving;
        }
        catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
        {
        }
    }

    private static WebhookEventCollector Create(WebhookCollectorOptions options) =>
        new(options, new HttpClient(), TimeProvider.System, NullLogger<WebhookEventCollector>.Instance);

    private static BifroEvent[] Connected(int count) =>
        Enumerable.Range(0, count).Select(i => (BifroEvent)new ClientConnectedEvent
        {
            Type = EventType.ClientConnected,
            TenantId = "acme",
            ClientId = "c",
            KeepAliveSeconds = i,
            Time = DateTimeOffset.UtcNow,
            Node = "n1",
        }).ToArray();

    private List<JsonElement> Posted()
    {
        lock (_batches)
        {
            return _batches.SelectMany(b => b).ToList();
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var document = await JsonDocument.ParseAsync(context.Request.InputStream);
            HttpStatusCode answer;
            lock (_answers)
            {
                answer = _answers.Count > 0 ? _answers.Dequeue() : HttpStatusCode.NoContent;
            }

            lock (_batches)
            {
                _authorization = context.Request.Headers["Authorization"];

                // A refused batch is recorded empty: it counts as a request, not as delivered events.
                _batches.Add(answer == HttpStatusCode.NoContent ? document.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray() : []);
            }

            context.Response.StatusCode = (int)answer;
            context.Response.Close();
        }
    }
}
