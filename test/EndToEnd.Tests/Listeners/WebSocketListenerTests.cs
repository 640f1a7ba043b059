using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Bifro.EndToEnd.Tests.Clients;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests.Listeners;

/// <summary>The ws and wss listeners: paho over WebSocket, and a raw WebSocket client for framing and upgrade rules.</summary>
[Trait("Category", "EndToEnd")]
public sealed class WebSocketListenerTests(AllListenersBrokerFixture fixture) : IClassFixture<AllListenersBrokerFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private BrokerProcess Broker => fixture.Broker;

    [Theory(Timeout = 60_000)]
    [InlineData("311")]
    [InlineData("5")]
    public async Task Ws_Paho_MessagesFlowBetweenWebSocketAndTcpClients(string version)
    {
        var result = await RunPahoAsync(fixture.WsPort, "--version", version);

        Assert.True(result.ExitCode == 0, Paho.Describe("websocket.py", "ws", result.ToString(), Broker));
        await Broker.Process.WaitForLineAsync(line => line.Contains("on listener ws", StringComparison.Ordinal), Timeout);
    }

    [Fact(Timeout = 60_000)]
    public async Task Wss_Paho_MessagesFlowBetweenSecureWebSocketAndTcpClients()
    {
        var result = await RunPahoAsync(fixture.WssPort, "--cafile", fixture.Authority.CertificatePath);

        Assert.True(result.ExitCode == 0, Paho.Describe("websocket.py", "wss", result.ToString(), Broker));
        await Broker.Process.WaitForLineAsync(line => line.Contains("on listener wss", StringComparison.Ordinal), Timeout);
    }

    [Theory(Timeout = 240_000)]
    [InlineData("wss", "5")]
    [InlineData("ws", "4")]
    public async Task MqttJs_MessagesFlowBetweenWebSocketAndTcpClients(string scheme, string version)
    {
        var port = scheme == "wss" ? fixture.WssPort : fixture.WsPort;
        string[] ca = scheme == "wss" ? [fixture.Authority.CertificatePath] : [string.Empty];

        var result = await MqttJs.RunAsync("wss.mjs", [$"{scheme}://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/mqtt", Broker.Port.ToString(CultureInfo.InvariantCulture), .. ca, version]);

        Assert.True(result.ExitCode == 0, Paho.Describe("wss.mjs", scheme, result.ToString(), Broker));
    }

    [Fact(Timeout = 60_000)]
    public async Task Ws_PacketSplitAcrossFramesAndPacketsSharingAFrame_AllHandled()
    {
        using var socket = await ConnectAsync(fixture.WsPort, "mqtt");

        // [MQTT-6.0.0-2] One CONNECT across two frames.
        var connect = RawMqtt.Connect(4, "ws-framing");
        await SendAsync(socket, connect[..5]);
        await SendAsync(socket, connect[5..]);
        var reader = new WebSocketPacketReader(socket);
        var connAck = await reader.ReadAsync(Timeout);
        Assert.Equal(RawMqtt.ConnAck, connAck.Type);
        Assert.Equal(0, connAck.ReasonCode);

        // SUBSCRIBE and a PUBLISH to the same topic in one frame: SUBACK, then the message comes back.
        await SendAsync(socket, [.. RawMqtt.Subscribe(4, 1, "ws/framing", 0), .. RawMqtt.PublishPacket(4, "ws/framing", payload: "coalesced")]);
        var subAck = await reader.ReadAsync(Timeout);
        Assert.Equal(RawMqtt.SubAck, subAck.Type);
        var publish = await reader.ReadAsync(Timeout);
        Assert.Equal(RawMqtt.Publish, publish.Type);
        Assert.EndsWith("coalesced", Encoding.UTF8.GetString(publish.Body), StringComparison.Ordinal);

        // Fragments of one message (continuation frames) are a byte stream too.
        await socket.SendAsync(RawMqtt.PingReq.AsMemory(0, 1), WebSocketMessageType.Binary, endOfMessage: false, CancellationToken.None);
        await socket.SendAsync(RawMqtt.PingReq.AsMemory(1, 1), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        Assert.Equal(RawMqtt.PingResp, (await reader.ReadAsync(Timeout)).Type);

        await SendAsync(socket, RawMqtt.NormalDisconnect);
        var close = await reader.ReadCloseAsync(Timeout);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, close);
    }

    [Fact(Timeout = 60_000)]
    public async Task Ws_TextFrame_ClosesConnection()
    {
        using var socket = await ConnectAsync(fixture.WsPort, "mqttv3.1.1");
        await SendAsync(socket, RawMqtt.Connect(4, "ws-text"));
        var reader = new WebSocketPacketReader(socket);
        Assert.Equal(RawMqtt.ConnAck, (await reader.ReadAsync(Timeout)).Type);

        // [MQTT-6.0.0-1] Data in a text frame: the server closes the connection.
        await socket.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, await reader.ReadCloseAsync(Timeout));
    }

    [Fact(Timeout = 60_000)]
    public async Task Ws_OtherPath_NotFound()
    {
        var exception = await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync(fixture.WsPort, "mqtt", "/other"));

        Assert.Contains("404", exception.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Ws_NoMqttSubprotocolOffered_UpgradeRefused()
    {
        var exception = await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync(fixture.WsPort, subProtocol: null));

        Assert.Contains("400", exception.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Ws_PlainHttpRequest_BadRequest()
    {
        using var http = new HttpClient { Timeout = Timeout };

        var response = await http.GetAsync(new Uri($"http://127.0.0.1:{fixture.WsPort.ToString(CultureInfo.InvariantCulture)}/mqtt"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private Task<ProcessResult> RunPahoAsync(int wsPort, params string[] arguments) =>
        ExternalProcess.RunAsync(
            "/usr/bin/python3",
            [
                "-B", Path.Combine(AppContext.BaseDirectory, "python", "websocket.py"),
                "--host", "127.0.0.1",
                "--port", Broker.Port.ToString(CultureInfo.InvariantCulture),
                "--ws-port", wsPort.ToString(CultureInfo.InvariantCulture),
                .. arguments,
            ],
            Paho.ScenarioTimeout);

    private static async Task<ClientWebSocket> ConnectAsync(int port, string? subProtocol, string path = "/mqtt")
    {
        var socket = new ClientWebSocket();
        if (subProtocol is not null)
        {
            socket.Options.AddSubProtocol(subProtocol);
        }

        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}{path}"), cts.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        Assert.Equal(subProtocol, socket.SubProtocol);
        return socket;
    }

    private static async Task SendAsync(ClientWebSocket socket, byte[] bytes)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await socket.SendAsync(bytes, WebSocketMessageType.Binary, endOfMessage: true, cts.Token);
    }
}
