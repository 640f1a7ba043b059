using System.Net;
using System.Text.Json;
using Bifro.TestKit;

namespace Bifro.EndToEnd.Tests.Events;

/// <summary>An HTTP endpoint on loopback that takes the webhook collector's POSTs (JSON arrays of events) and keeps them in order.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<JsonElement> _events = new();
    private readonly Task _serving;

    public WebhookReceiver()
    {
        var port = FreePort.Next();
        Url = $"http://127.0.0.1:{port}/bifro-events/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _serving = ServeAsync();
    }

    public string Url { get; }

    public int Requests { get; private set; }

    public IReadOnlyList<JsonElement> Events
    {
        get
        {
            lock (_events)
            {
                return _events.ToList();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Close, not Stop then Close: after Stop, Close binds the port again to remove its prefix (the managed
        // HttpListener), and fails with 'address already in use' while a client's connection still holds it.
        _listener.Close();
        try
        {
            await _serving.ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using (var document = await JsonDocument.ParseAsync(context.Request.InputStream).ConfigureAwait(false))
            {
                lock (_events)
                {
                    Requests++;
                    _events.AddRange(document.RootElement.EnumerateArray().Select(e => e.Clone()));
                }
            }

            context.Response.StatusCode = (int)HttpStatusCode.NoContent;
            context.Response.Close();
        }
    }
}
