using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Bifro.MqttEdge.Listeners;

/// <summary>
/// The HTTP/1.1 side of a WebSocket opening handshake (RFC 6455 section 4.2): reads the client's request head,
/// decides whether to upgrade, and writes the answer. MQTT over WebSocket needs only this one request, so the
/// listeners do not run Kestrel's HTTP stack; after the 101 answer the connection carries WebSocket frames.
/// </summary>
internal sealed class WebSocketUpgrade
{
    /// <summary>The largest request head accepted (8 KiB, what most servers allow).</summary>
    internal const int MaxHeadLength = 8 * 1024;

    /// <summary>The subprotocols BifroMQ accepts: MQTT 3.1.1 and 5.0 clients say "mqtt", older ones "mqttv3.1" or "mqttv3.1.1".</summary>
    internal static readonly string[] SubProtocols = ["mqtt", "mqttv3.1.1", "mqttv3.1"];

    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private readonly Dictionary<string, string> _headers;

    private WebSocketUpgrade(string method, string target, string version, Dictionary<string, string> headers)
    {
        Method = method;
        Target = target;
        Version = version;
        _headers = headers;
    }

    public string Method { get; }

    public string Target { get; }

    public string Version { get; }

    /// <summary>The path of the request target, without its query.</summary>
    public string Path
    {
        get
        {
            var target = Target;
            if (target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                // Absolute form (RFC 9112 section 3.2.2).
                var authority = target.IndexOf("://", StringComparison.Ordinal) + 3;
                var slash = target.IndexOf('/', authority);
                target = slash < 0 ? "/" : target[slash..];
            }

            var query = target.IndexOfAny(['?', '#']);
            return query < 0 ? target : target[..query];
        }
    }

    public string? Header(string name) => _headers.GetValueOrDefault(name);

    /// <summary>Reads a request head ending in an empty line; on success slices past it.</summary>
    public static WebSocketUpgradeStatus TryRead(ref ReadOnlySequence<byte> buffer, out WebSocketUpgrade? request)
    {
        request = null;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> head, "\r\n\r\n"u8, advancePastDelimiter: true))
        {
            return buffer.Length >= MaxHeadLength ? WebSocketUpgradeStatus.TooLarge : WebSocketUpgradeStatus.Incomplete;
        }

        if (head.Length > MaxHeadLength)
        {
            return WebSocketUpgradeStatus.TooLarge;
        }

        request = Parse(Encoding.Latin1.GetString(head));
        buffer = buffer.Slice(reader.Position);
        return WebSocketUpgradeStatus.Complete;
    }

    /// <summary>
    /// Whether to upgrade on <paramref name="path"/>: 101 with the chosen subprotocol, or the HTTP status to refuse with.
    /// </summary>
    public (int Status, string? SubProtocol, string Reason) Decide(string path)
    {
        if (Path != path)
        {
            return (404, null, $"no WebSocket endpoint at {Path}");
        }

        if (Method != "GET" || Version != "HTTP/1.1")
        {
            return (400, null, $"{Method} {Version} is not a WebSocket upgrade");
        }

        if (!HasToken(Header("Upgrade"), "websocket") || !HasToken(Header("Connection"), "Upgrade"))
        {
            return (400, null, "not a WebSocket upgrade (Upgrade: websocket and Connection: Upgrade expected)");
        }

        if (Header("Sec-WebSocket-Version")?.Trim() != "13")
        {
            return (426, null, "Sec-WebSocket-Version 13 expected");
        }

        if (!IsValidKey(Header("Sec-WebSocket-Key")))
        {
            return (400, null, "Sec-WebSocket-Key missing or invalid");
        }

        // The first subprotocol the client offers that we speak; a client that offers none is refused.
        foreach (var offered in Tokens(Header("Sec-WebSocket-Protocol")))
        {
            foreach (var supported in SubProtocols)
            {
                if (string.Equals(offered, supported, StringComparison.OrdinalIgnoreCase))
                {
                    return (101, offered, "upgrade");
                }
            }
        }

        return (400, null, "no MQTT WebSocket subprotocol offered (mqtt, mqttv3.1.1 or mqttv3.1)");
    }

    /// <summary>The 101 answer.</summary>
    public byte[] AcceptResponse(string subProtocol) => Encoding.ASCII.GetBytes(
        "HTTP/1.1 101 Switching Protocols\r\n" +
        "Upgrade: websocket\r\n" +
        "Connection: Upgrade\r\n" +
        $"Sec-WebSocket-Accept: {AcceptKey(Header("Sec-WebSocket-Key")!.Trim())}\r\n" +
        $"Sec-WebSocket-Protocol: {subProtocol}\r\n" +
        "\r\n");

    /// <summary>A refusal; the connection closes after it.</summary>
    public static byte[] RefusalResponse(int status, string reason)
    {
        var (phrase, extra) = status switch
        {
            404 => ("Not Found", string.Empty),
            426 => ("Upgrade Required", "Sec-WebSocket-Version: 13\r\n"),
            431 => ("Request Header Fields Too Large", string.Empty),
            _ => ("Bad Request", string.Empty),
        };
        var body = reason + "\n";
        return Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status} {phrase}\r\n{extra}Content-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}");
    }

    /// <summary>base64(SHA-1(key + GUID)) (RFC 6455 section 4.2.2).</summary>
    internal static string AcceptKey(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));

    private static WebSocketUpgrade Parse(string head)
    {
        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3)
        {
            return new WebSocketUpgrade(string.Empty, string.Empty, string.Empty, new Dictionary<string, string>());
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 1; i < lines.Length; i++)
        {
            var colon = lines[i].IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }

            var name = lines[i][..colon].Trim();
            var value = lines[i][(colon + 1)..].Trim();

            // Repeated headers are one comma-separated list (RFC 9110 section 5.3).
            headers[name] = headers.TryGetValue(name, out var earlier) ? earlier + ", " + value : value;
        }

        return new WebSocketUpgrade(requestLine[0], requestLine[1], requestLine[2], headers);
    }

    private static IEnumerable<string> Tokens(string? list) =>
        (list ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool HasToken(string? list, string token) =>
        Tokens(list).Any(t => string.Equals(t, token, StringComparison.OrdinalIgnoreCase));

    private static bool IsValidKey(string? key)
    {
        Span<byte> decoded = stackalloc byte[24];
        return key is not null && Convert.TryFromBase64String(key.Trim(), decoded, out var length) && length == 16;
    }
}
