using System.Text.RegularExpressions;
using Bifro.EndToEnd.Tests.Clients;
using Bifro.TestKit;
using Xunit;

namespace Bifro.EndToEnd.Tests.Cluster;

/// <summary>
/// TLS and mutual TLS between silos (issue 3, sections 3 and 8): three nodes with certificates from one CA,
/// each requiring its peers' certificates, carry messages between them; a node whose certificate another CA
/// signed is refused and never joins, while the others go on.
/// </summary>
[Trait("Category", "Cluster")]
[Collection(ClusterCollection.Name)]
public sealed class TransportTlsTests : IDisposable
{
    private readonly TestCertificates _certificates = TestCertificates.Create();
    private readonly CertificateFiles _ca;
    private readonly CertificateFiles _otherCa;

    public TransportTlsTests()
    {
        _ca = _certificates.CreateAuthority("Bifro Cluster CA");
        _otherCa = _certificates.CreateAuthority("Some Other CA");
    }

    [Fact(Timeout = 150_000)]
    public async Task MutualTls_NodesOfOneCa_CarryMessages_NodeOfAnotherCaNeverJoins()
    {
        await using var cluster = await BifroCluster.StartAsync(3, nodeArguments: i => Tls(_certificates.CreatePeer(_ca, $"node{i}")));

        // The silo port speaks TLS only: a plaintext handshake gets no handshake back.
        var (received, closed) = await RawSiloPeer.ExchangeAsync(
            cluster[0].SiloPort, RawSiloPeer.Preamble(RawSiloPeer.Silo, cluster.ClusterId, cluster.Settings.ServiceId, "plaintext"), [], TimeSpan.FromSeconds(10));
        Assert.True(closed, "a TLS silo port kept a plaintext connection open");
        Assert.False(received.Length >= 4 && received.AsSpan(0, 4).SequenceEqual("BIFR"u8), "a TLS silo port answered a plaintext handshake");

        // Across nodes, over mutual TLS; the subscriber stays connected through what follows.
        const string topic = "tls/across";
        await using var subscriber = await Mosquitto.StartSubscriberAsync(cluster[0].Broker, "5", "-t", topic, "-q", "1", "-v");
        await ClusterAssert.SucceedsAsync(Mosquitto.PublishAsync(cluster[1].Broker, "5", "-t", topic, "-m", "before", "-q", "1"), cluster);
        await ClusterAssert.LineAsync(subscriber, $"{topic} before", cluster);

        // A node whose certificate another CA signed (it trusts the cluster's CA itself).
        var outsider = cluster.LaunchNode("all", Tls(_certificates.CreatePeer(_otherCa, "outsider")));
        var rejected = await Task.WhenAny(cluster.Nodes.Take(3).Select(n => n.Broker.Process.WaitForLineAsync("certificate is not trusted", TimeSpan.FromSeconds(30))));
        Assert.Contains("Refused a silo connection", await rejected, StringComparison.Ordinal);

        // It gives up joining and stops; no node ever counted it active.
        int exitCode;
        try
        {
            exitCode = await outsider.Broker.Process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("The outsider did not stop.\n" + cluster.Describe());
        }

        Assert.True(exitCode != 0, "the outsider exited with 0\n" + cluster.Describe());
        Assert.Contains("could not reach active silos", outsider.Output, StringComparison.Ordinal);
        var activeOutsider = new Regex($@":{outsider.SiloPort}@\d+ Active");
        foreach (var node in cluster.Nodes.Take(3))
        {
            Assert.DoesNotContain(node.Broker.Process.Lines, line => line.Contains("Membership changed", StringComparison.Ordinal) && activeOutsider.IsMatch(line));
        }

        var rows = await MembershipRow.ReadAllAsync(cluster.ConnectionString);
        Assert.DoesNotContain(rows, r => r.Port == outsider.SiloPort && r.Status == MembershipRow.Active);

        // The cluster went on: same subscriber, same connection, messages from every other node.
        await cluster.WaitForViewAsync();
        await ClusterAssert.SucceedsAsync(Mosquitto.PublishAsync(cluster[2].Broker, "5", "-t", topic, "-m", "after", "-q", "1"), cluster);
        await ClusterAssert.LineAsync(subscriber, $"{topic} after", cluster);
        Assert.Equal([$"{topic} before", $"{topic} after"], Mosquitto.Messages(subscriber, topic));
        Assert.False(subscriber.HasExited, "the subscriber's connection was closed\n" + subscriber.Output);
    }

    public void Dispose() => _certificates.Dispose();

    /// <summary>Mutual TLS on the silo transport; every node trusts the cluster's CA, whoever signed its own certificate.</summary>
    private string[] Tls(CertificateFiles certificate) =>
    [
        "--Bifro:Cluster:Transport:Tls:Enabled=true",
        "--Bifro:Cluster:Transport:Tls:CertificatePath=" + certificate.CertificatePath,
        "--Bifro:Cluster:Transport:Tls:KeyPath=" + certificate.KeyPath,
        "--Bifro:Cluster:Transport:Tls:CaBundlePath=" + _ca.CertificatePath,
        "--Bifro:Cluster:Transport:Tls:RemoteCertificateMode=RequireCertificate",
    ];
}
