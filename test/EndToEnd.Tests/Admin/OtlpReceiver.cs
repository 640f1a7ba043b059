using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Bifro.TestKit;

namespace Bifro.EndToEnd.Tests.Admin;

/// <summary>
/// Stands in for an OpenTelemetry collector: accepts OTLP/HTTP protobuf posts on 127.0.0.1 and keeps their
/// bodies by path. Names in protobuf are plain UTF-8 strings, so a test looks for them in the bytes.
/// </summary>
internal sealed class OtlpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(string Path, string ContentType, string Body)> _posts = new();
    private readonly Thread _thread;

    public OtlpReceiver()
    {
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _thread = new Thread(Accept) { IsBackground = true, Name = "otlp-receiver" };
        _thread.Start();
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>Whether a post to <paramref name="path"/> of content type protobuf mentioned <paramref name="text"/>.</summary>
    public bool Received(string path, string text) =>
        _posts.Any(p => p.Path == path && p.ContentType.Contains("application/x-protobuf", StringComparison.Ordinal) && p.Body.Contains(text, StringComparison.Ordinal));

    public string Summary => string.Join("\n", _posts.Select(p => $"{p.Path} {p.ContentType} {p.Body.Length} bytes"));

    public void Dispose()
    {
        // Close, not Stop then Close: after Stop, Close binds the port again to remove its prefix (the managed
        // HttpListener), and fails with 'address already in use' while a client's connection still holds it.
        _listener.Close();
    }

    private void Accept()
    {
        while (_listener.IsListening)
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

            using var body = new MemoryStream();
            context.Request.InputStream.CopyTo(body);

            // Latin-1 keeps every byte as one char, so UTF-8 names inside the protobuf stay findable.
            _posts.Enqueue((context.Request.Url!.AbsolutePath, context.Request.ContentType ?? string.Empty, Encoding.Latin1.GetString(body.ToArray())));
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }
}
