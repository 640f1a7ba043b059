using Bifro.MqttEdge.Configuration;
using Bifro.TestKit;
using Xunit;

namespace Bifro.MqttEdge.Tests.Configuration;

/// <summary>The listener settings: every error names its configuration key.</summary>
public sealed class MqttOptionsValidatorListenerTests : IDisposable
{
    private readonly TestCertificates _certificates = TestCertificates.Create();

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public void Validate_Defaults_OnlyTcpEnabledAndValid()
    {
        var options = new MqttOptions();

        Assert.True(new MqttOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(["tcp"], options.EnabledListeners().Select(l => l.Name));
        Assert.Equal((8883, "tls"), (options.Tls.Port, options.Tls.Name));
        Assert.Equal((8080, "ws", "/mqtt"), (options.Ws.Port, options.Ws.Name, options.Ws.Path));
        Assert.Equal((8443, "wss", "/mqtt"), (options.Wss.Port, options.Wss.Name, options.Wss.Path));
        Assert.False(options.Tcp.ProxyProtocol);
        Assert.Equal(ClientCertificateMode.None, options.Tls.ClientCertificateMode);
    }

    [Fact]
    public void Validate_TlsEnabledWithoutCertificate_NamesTheKey() =>
        AssertError(o => o.Tls.Enabled = true, "Bifro:Mqtt:Tls:Certificate:Path is required");

    [Fact]
    public void Validate_CertificateFileMissing_NamesTheKey() =>
        AssertError(o => { o.Wss.Enabled = true; o.Wss.Certificate.Path = "/nonexistent/server.pem"; }, "Bifro:Mqtt:Wss:Certificate:Path '/nonexistent/server.pem' not found");

    [Fact]
    public void Validate_ClientCertificatesWithoutCa_NamesTheKey()
    {
        var server = _certificates.CreateServer(_certificates.CreateAuthority("CA"));
        AssertError(
            o =>
            {
                o.Tls.Enabled = true;
                o.Tls.Certificate = new ServerCertificateOptions { Path = server.CertificatePath, KeyPath = server.KeyPath };
                o.Tls.ClientCertificateMode = ClientCertificateMode.Require;
            },
            "Bifro:Mqtt:Tls:ClientCaPath is required");
    }

    [Fact]
    public void Validate_CertificateNotLoadable_NamesTheKey()
    {
        var path = Path.Combine(_certificates.Directory, "garbage.pem");
        File.WriteAllText(path, "-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n");
        AssertError(o => { o.Tls.Enabled = true; o.Tls.Certificate.Path = path; }, "Bifro:Mqtt:Tls:Certificate:Path");
    }

    [Fact]
    public void Validate_ValidTlsListener_Succeeds()
    {
        var authority = _certificates.CreateAuthority("CA");
        var server = _certificates.CreateServer(authority);
        var options = new MqttOptions();
        options.Tls.Enabled = true;
        options.Tls.Certificate = new ServerCertificateOptions { Path = server.CertificatePath, KeyPath = server.KeyPath };
        options.Tls.ClientCertificateMode = ClientCertificateMode.Optional;
        options.Tls.ClientCaPath = authority.CertificatePath;

        var result = new MqttOptionsValidator().Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_WebSocketPathNotAbsolute_NamesTheKey() =>
        AssertError(o => { o.Ws.Enabled = true; o.Ws.Path = "mqtt"; }, "Bifro:Mqtt:Ws:Path 'mqtt'");

    [Fact]
    public void Validate_TwoListenersOnOnePort_NamesBothKeys() =>
        AssertError(o => { o.Ws.Enabled = true; o.Ws.Port = 1883; }, "Bifro:Mqtt:Tcp:Port and Bifro:Mqtt:Ws:Port are both 1883");

    [Fact]
    public void Validate_DuplicateNames_NamesBothKeys() =>
        AssertError(o => { o.Ws.Enabled = true; o.Ws.Name = "tcp"; }, "Bifro:Mqtt:Tcp:Name and Bifro:Mqtt:Ws:Name are both 'tcp'");

    [Fact]
    public void Validate_BadBindAddress_NamesTheKey() =>
        AssertError(o => o.Wss.BindAddress = "nowhere", "Bifro:Mqtt:Wss:BindAddress 'nowhere'");

    private static void AssertError(Action<MqttOptions> configure, string expected)
    {
        var options = new MqttOptions();
        configure(options);

        var result = new MqttOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, failure => failure.Contains(expected, StringComparison.Ordinal));
    }
}
