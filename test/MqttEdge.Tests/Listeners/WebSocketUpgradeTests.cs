using System.Buffers;
using System.Text;
using Bifro.MqttEdge.Listeners;
using Xunit;

namespace Bifro.MqttEdge.Tests.Listeners;

public sealed class WebSocketUpgradeTests
{
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";

    [Fact]
    public void AcceptKey_Rfc6455Example_Matches() =>
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketUpgrade.AcceptKey(Key));

    [Fact]
    public void TryRead_Upgrade_ChoosesMqttAndLeavesFramesUnread()
    {
        var buffer = Sequence(Request("/mqtt", "mqtt"), [0x82, 0x00]);

        var status = WebSocketUpgrade.TryRead(ref buffer, out var request);

        Assert.Equal(WebSocketUpgradeStatus.Complete, status);
        Assert.Equal((101, "mqtt", "upgrade"), request!.Decide("/mqtt"));
        Assert.Equal([0x82, 0x00], buffer.ToArray());
        var response = Encoding.ASCII.GetString(request.AcceptResponse("mqtt"));
        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", response, StringComparison.Ordinal);
        Assert.Contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n", response, StringComparison.Ordinal);
        Assert.Contains("Sec-WebSocket-Protocol: mqtt\r\n", response, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n", response, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mqtt", "mqtt")]
    [InlineData("mqttv3.1", "mqttv3.1")]
    [InlineData("mqttv3.1.1", "mqttv3.1.1")]
    [InlineData("wamp, mqttv3.1", "mqttv3.1")]
    [InlineData("MQTT", "MQTT")]
    public void Decide_OfferedSubprotocol_ChosenFromClientsList(string offered, string chosen)
    {
        var (status, subProtocol, _) = Decide(Request("/mqtt", offered), "/mqtt");

        Assert.Equal(101, status);
        Assert.Equal(chosen, subProtocol);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wamp")]
    [InlineData("mqtt5")]
    public void Decide_NoMqttSubprotocol_BadRequest(string? offered) =>
        Assert.Equal(400, Decide(Request("/mqtt", offered), "/mqtt").Status);

    [Theory]
    [InlineData("/other")]
    [InlineData("/")]
    [InlineData("/mqtt/")]
    [InlineData("/MQTT")]
    public void Decide_OtherPath_NotFound(string path) =>
        Assert.Equal(404, Decide(Request(path, "mqtt"), "/mqtt").Status);

    [Theory]
    [InlineData("/mqtt?token=1")]
    [InlineData("http://broker.example/mqtt")]
    public void Decide_QueryOrAbsoluteForm_PathStillMatches(string target) =>
        Assert.Equal(101, Decide(Request(target, "mqtt"), "/mqtt").Status);

    [Fact]
    public void Decide_PlainGet_BadRequest() =>
        Assert.Equal(400, Decide("GET /mqtt HTTP/1.1\r\nHost: x\r\n\r\n", "/mqtt").Status);

    [Fact]
    public void Decide_OtherVersion_UpgradeRequired() =>
        Assert.Equal(426, Decide(Request("/mqtt", "mqtt").Replace("Version: 13", "Version: 8", StringComparison.Ordinal), "/mqtt").Status);

    [Fact]
    public void Decide_BadKey_BadRequest() =>
        Assert.Equal(400, Decide(Request("/mqtt", "mqtt").Replace(Key, "c2hvcnQ=", StringComparison.Ordinal), "/mqtt").Status);

    [Fact]
    public void Decide_Post_BadRequest() =>
        Assert.Equal(400, Decide(Request("/mqtt", "mqtt").Replace("GET", "POST", StringComparison.Ordinal), "/mqtt").Status);

    [Fact]
    public void Decide_ConnectionHeaderWithSeveralTokens_Upgrades() =>
        Assert.Equal(101, Decide(Request("/mqtt", "mqtt").Replace("Connection: Upgrade", "Connection: keep-alive, Upgrade", StringComparison.Ordinal), "/mqtt").Status);

    [Fact]
    public void TryRead_EveryPrefix_IncompleteAndConsumesNothing()
    {
        var request = Encoding.ASCII.GetBytes(Request("/mqtt", "mqtt"));
        for (var length = 0; length < request.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(request[..length]);

            Assert.Equal(WebSocketUpgradeStatus.Incomplete, WebSocketUpgrade.TryRead(ref buffer, out _));
            Assert.Equal(length, buffer.Length);
        }
    }

    [Fact]
    public void TryRead_HeadBeyondLimit_TooLarge()
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("GET /mqtt HTTP/1.1\r\nX: " + new string('a', WebSocketUpgrade.MaxHeadLength)));

        Assert.Equal(WebSocketUpgradeStatus.TooLarge, WebSocketUpgrade.TryRead(ref buffer, out _));
    }

    [Fact]
    public void RefusalResponse_NotFound_ClosesConnection()
    {
        var response = Encoding.ASCII.GetString(WebSocketUpgrade.RefusalResponse(404, "nothing here"));

        Assert.StartsWith("HTTP/1.1 404 Not Found\r\n", response, StringComparison.Ordinal);
        Assert.Contains("Connection: close\r\n", response, StringComparison.Ordinal);
    }

    private static (int Status, string? SubProtocol, string Reason) Decide(string head, string path)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(head));
        Assert.Equal(WebSocketUpgradeStatus.Complete, WebSocketUpgrade.TryRead(ref buffer, out var request));
        return request!.Decide(path);
    }

    private static string Request(string target, string? subProtocol) =>
        $"GET {target} HTTP/1.1\r\n" +
        "Host: 127.0.0.1\r\n" +
        "Upgrade: websocket\r\n" +
        "Connection: Upgrade\r\n" +
        $"Sec-WebSocket-Key: {Key}\r\n" +
        "Sec-WebSocket-Version: 13\r\n" +
        (subProtocol is null ? string.Empty : $"Sec-WebSocket-Protocol: {subProtocol}\r\n") +
        "\r\n";

    private static ReadOnlySequence<byte> Sequence(string head, byte[] after) =>
        new([.. Encoding.ASCII.GetBytes(head), .. after]);
}
