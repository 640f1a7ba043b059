using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Bifro.TestKit;

/// <summary>
/// A small HTTP server on 127.0.0.1 and a free port (HttpListener), for the http auth provider's tests: each
/// POST's JSON body goes to a handler, which answers a status and a JSON body, or waits before answering.
/// Every request is recorded.
/// </summary>
public sealed class TestHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<string, JsonObject, Task<(int Status, string Body)>> _handler;
    private readonly ConcurrentQueue<TestHttpRequest> _requests = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    private TestHttpServer(int port, Func<string, JsonObject, Task<(int Status, string Body)>> handler)
    {
        Port = port;
        _handler = handler;
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();

        // Threads of its own, not the thread pool's: a test host busy with child processes can starve the pool
        // for longer than a provider's request timeout, which would make the server look slow.
        _loop = Task.Factory.StartNew(Accept, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public int Port { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}/{path.TrimStart('/')}";

    /// <summary>Requests so far: their path, JSON body and headers.</summary>
    public IReadOnlyList<TestHttpRequest> Requests => _requests.ToArray();

    public int CountRequests(string path) => _requests.Count(r => r.Path == "/" + path.TrimStart('/'));

    /// <summary>Starts a server whose <paramref name="handler"/> gets (path, body) and answers (status, JSON).</summary>
    public static TestHttpServer Start(Func<string, JsonObject, Task<(int Status, string Body)>> handler) => new(FreePort.Next(), handler);

    /// <inheritdoc cref="Start(Func{string, JsonObject, Task{ValueTuple{int, string}}})"/>
    public static TestHttpServer Start(Func<string, JsonObject, (int Status, string Body)> handler) =>
        new(FreePort.Next(), (path, body) => Task.FromResult(handler(path, body)));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        // Close, not Stop then Close: after Stop, Close binds the port again to remove its prefix (the managed
        // HttpListener), and fails with 'address already in use' while a client's connection still holds it.
        _listener.Close();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    private void Accept()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = _listener.GetContext();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var thread = new Thread(() => HandleAsync(context).GetAwaiter().GetResult()) { IsBackground = true, Name = "test-http" };
            thread.Start();
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var text = await reader.ReadToEndAsync().ConfigureAwait(false);
            var body = JsonNode.Parse(text) as JsonObject ?? [];
            var path = context.Request.Url?.AbsolutePath ?? "/";
            _requests.Enqueue(new TestHttpRequest(path, body, context.Request.Headers));
            var (status, answer) = await _handler(path, body).WaitAsync(_stopping.Token).ConfigureAwait(false);
            var bytes = Encoding.UTF8.GetBytes(answer);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
            context.Response.Close();
        }
        catch (Exception)
        {
            // The client went away, or the server is stopping.
            context.Response.Abort();
        }
    }
}
