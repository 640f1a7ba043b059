using System.Net.Http.Headers;
using Bifro.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bifro.Grains.Events;

/// <summary>
/// The webhook collector ("webhook"): POSTs batches of events as a JSON array to Bifro:Events:Webhook:Url.
/// Events wait in a bounded backlog (MaxBacklog; beyond it new events are dropped and counted); one batch
/// is in flight at a time, retried with exponential backoff (RetryBackoff doubling up to MaxRetryBackoff)
/// up to MaxAttempts, then dropped and counted. A 2xx answer is success; anything else, or no answer within
/// Timeout, is a failed attempt.
/// </summary>
internal sealed partial class WebhookEventCollector : IEventCollector, IAsyncDisposable
{
    public const string Name = "webhook";

    private readonly WebhookCollectorOptions _options;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookEventCollector> _logger;
    private readonly Queue<BifroEvent> _backlog = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Task _loop;
    private long _posted;
    private long _dropped;
    private long _failedBatches;
    private bool _droppingLogged;

    public WebhookEventCollector(IOptions<EventOptions> options, IHttpClientFactory? httpClients, TimeProvider time, ILogger<WebhookEventCollector> logger)
        : this(options.Value.Webhook, httpClients?.CreateClient(Name) ?? new HttpClient(), time, logger)
    {
    }

    internal WebhookEventCollector(WebhookCollectorOptions options, HttpClient http, TimeProvider time, ILogger<WebhookEventCollector> logger)
    {
        _options = options;
        _http = http;
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _time = time;
        _logger = logger;
        _loop = Task.Run(SendLoopAsync);
    }

    /// <summary>Events the endpoint accepted.</summary>
    public long Posted => Interlocked.Read(ref _posted);

    /// <summary>Events dropped: the backlog was full, or their batch failed every attempt.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public long FailedBatches => Interlocked.Read(ref _failedBatches);

    public int Backlog
    {
        get
        {
            lock (_backlog)
            {
                return _backlog.Count;
            }
        }
    }

    public ValueTask ReportAsync(IReadOnlyList<BifroEvent> events, CancellationToken cancellationToken)
    {
        var added = 0;
        var dropped = 0;
        var logDrop = false;
        lock (_backlog)
        {
            foreach (var e in events)
            {
                if (_backlog.Count >= _options.MaxBacklog)
                {
                    dropped++;
                    continue;
                }

                _backlog.Enqueue(e);
                added++;
            }

            if (dropped > 0 && !_droppingLogged)
            {
                _droppingLogged = logDrop = true;
            }
        }

        if (dropped > 0)
        {
            Interlocked.Add(ref _dropped, dropped);
            if (logDrop)
            {
                LogBacklogFull(_options.MaxBacklog);
            }
        }

        if (added > 0)
        {
            _signal.Release();
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _http.Dispose();
        _stopping.Dispose();
    }

    private async Task SendLoopAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            await _signal.WaitAsync(token).ConfigureAwait(false);
            while (!token.IsCancellationRequested && TakeBatch() is { } batch)
            {
                await PostWithRetriesAsync(batch, token).ConfigureAwait(false);
            }
        }
    }

    private BifroEvent[]? TakeBatch()
    {
        lock (_backlog)
        {
            if (_backlog.Count == 0)
            {
                _droppingLogged = false;
                return null;
            }

            var batch = new BifroEvent[Math.Min(_backlog.Count, _options.BatchSize)];
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i] = _backlog.Dequeue();
            }

            return batch;
        }
    }

    private async Task PostWithRetriesAsync(BifroEvent[] batch, CancellationToken token)
    {
        var body = EventJson.SerializeBatch(batch);
        var backoff = _options.RetryBackoff;
        for (var attempt = 1; ; attempt++)
        {
            string failure;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
                timeout.CancelAfter(_options.Timeout);
                using var request = new HttpRequestMessage(HttpMethod.Post, _options.Url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                foreach (var (name, value) in _options.Headers)
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }

                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Add(ref _posted, batch.Length);
                    return;
                }

                failure = $"HTTP {(int)response.StatusCode}";
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or IOException)
            {
                failure = exception is OperationCanceledException ? $"no answer within {_options.Timeout}" : exception.Message;
            }

            if (attempt >= _options.MaxAttempts)
            {
                Interlocked.Add(ref _dropped, batch.Length);
                Interlocked.Increment(ref _failedBatches);
                LogBatchDropped(batch.Length, attempt, failure);
                return;
            }

            LogAttemptFailed(attempt, failure, backoff);
            await Task.Delay(backoff, _time, token).ConfigureAwait(false);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxRetryBackoff.Ticks));
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "The webhook's backlog is full ({Max} events): new events are dropped until it drains (Bifro:Events:Webhook:MaxBacklog)")]
    private partial void LogBacklogFull(int max);

    [LoggerMessage(2, LogLevel.Warning, "A batch of {Count} events was dropped after {Attempts} attempts to post it: {Failure}")]
    private partial void LogBatchDropped(int count, int attempts, string failure);

    [LoggerMessage(3, LogLevel.Debug, "Posting events failed (attempt {Attempt}: {Failure}); retrying in {Backoff}")]
    private partial void LogAttemptFailed(int attempt, string failure, TimeSpan backoff);
}
