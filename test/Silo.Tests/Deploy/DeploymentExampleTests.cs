using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bifro.Silo.Configuration;
using Bifro.TestKit;
using Microsoft.Extensions.Configuration;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Bifro.Silo.Tests.Deploy;

/// <summary>
/// The examples in deploy/ are what users copy: they must be configurations a node accepts, name only
/// settings that exist, and agree with each other (ports, addresses, names).
/// </summary>
public sealed class DeploymentExampleTests : IDisposable
{
    private static readonly string Deploy = Path.Combine(RepositoryPaths.Root, "deploy");
    private readonly string _files = Directory.CreateTempSubdirectory("bifro-deploy-").FullName;

    public void Dispose() => Directory.Delete(_files, recursive: true);

    [Fact(Timeout = 30_000)]
    public async Task Kubernetes_ServicesExposeMqttAndHeadlessSiloPorts()
    {
        await Task.Yield();
        var documents = LoadKubernetes();
        var statefulSet = Single(documents, "StatefulSet");
        var podLabels = Map(statefulSet, "spec", "template", "metadata", "labels");
        var container = (YamlMappingNode)Sequence(statefulSet, "spec", "template", "spec", "containers")[0];
        var containerPorts = Sequence(container, "ports").Cast<YamlMappingNode>()
            .ToDictionary(p => Scalar(p, "name"), p => int.Parse(Scalar(p, "containerPort")));

        var services = documents.Where(d => Scalar(d, "kind") == "Service").ToList();
        var loadBalancer = Assert.Single(services, s => TryScalar(s, "spec", "type") == "LoadBalancer");
        Assert.Contains(Sequence(loadBalancer, "spec", "ports").Cast<YamlMappingNode>(), p => Scalar(p, "port") == "1883" && Scalar(p, "targetPort") == "mqtt");
        AssertSelects(loadBalancer, podLabels);

        var headless = Assert.Single(services, s => TryScalar(s, "spec", "clusterIP") == "None");
        Assert.Equal(Scalar(headless, "metadata", "name"), Scalar(statefulSet, "spec", "serviceName"));
        AssertSelects(headless, podLabels);
        var headlessPorts = Sequence(headless, "spec", "ports").Cast<YamlMappingNode>().ToDictionary(p => Scalar(p, "targetPort"), p => int.Parse(Scalar(p, "port")));

        // The ports the node listens on (from its environment) are the ports the pod and services expose.
        var environment = KubernetesEnvironment(documents, container);
        Assert.Equal(int.Parse(environment["Bifro__Mqtt__Tcp__Port"]), containerPorts["mqtt"]);
        Assert.Equal(int.Parse(environment["Bifro__Cluster__Transport__SiloPort"]), containerPorts["silo"]);
        Assert.Equal(int.Parse(environment["Bifro__Cluster__Transport__GatewayPort"]), containerPorts["gateway"]);
        Assert.Equal(containerPorts["silo"], headlessPorts["silo"]);
        Assert.Equal(containerPorts["gateway"], headlessPorts["gateway"]);

        // The probes ask the admin endpoint's health routes, on the port the node serves them on.
        Assert.Equal("true", environment["Bifro__Admin__Enabled"]);
        Assert.Equal(int.Parse(environment["Bifro__Admin__Endpoint"][(environment["Bifro__Admin__Endpoint"].LastIndexOf(':') + 1)..]), containerPorts["admin"]);
        Assert.Equal("/health/ready", Scalar(container, "readinessProbe", "httpGet", "path"));
        Assert.Equal("admin", Scalar(container, "readinessProbe", "httpGet", "port"));
        Assert.Equal("/health/live", Scalar(container, "livenessProbe", "httpGet", "path"));
        Assert.Equal("admin", Scalar(container, "livenessProbe", "httpGet", "port"));
    }

    [Fact(Timeout = 30_000)]
    public async Task Kubernetes_NodesTakeClusterIdServiceIdAndAddressFromTheEnvironment()
    {
        await Task.Yield();
        var documents = LoadKubernetes();
        var container = (YamlMappingNode)Sequence(Single(documents, "StatefulSet"), "spec", "template", "spec", "containers")[0];
        var explicitEnv = Sequence(container, "env").Cast<YamlMappingNode>().ToDictionary(e => Scalar(e, "name"));
        Assert.Equal("status.podIP", Scalar(explicitEnv["Bifro__Cluster__Transport__AdvertisedAddress"], "valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("metadata.name", Scalar(explicitEnv["Bifro__Node__Name"], "valueFrom", "fieldRef", "fieldPath"));

        var environment = KubernetesEnvironment(documents, container);
        Assert.False(string.IsNullOrWhiteSpace(environment["Bifro__Cluster__ClusterId"]));
        Assert.False(string.IsNullOrWhiteSpace(environment["Bifro__Cluster__ServiceId"]));
        Assert.Equal("postgres", environment["Bifro__Cluster__Provider"]);

        var errors = Validate(environment.Select(e => KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), (string?)e.Value)));
        Assert.Empty(errors);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("node1.env")]
    [InlineData("node2.env")]
    [InlineData("node3.env")]
    public async Task ThreeNodeExample_EachNodeIsAValidClusterNode(string envFile)
    {
        await Task.Yield();
        var settings = ClusterExampleSettings(envFile);
        Assert.Empty(Validate(settings));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        Assert.Equal("postgres", configuration["Bifro:Cluster:Provider"]);
        Assert.True(bool.Parse(configuration["Bifro:Cluster:Transport:Tls:Enabled"]!), "the example secures silo traffic");
        Assert.Equal("RequireCertificate", configuration["Bifro:Cluster:Transport:Tls:RemoteCertificateMode"]);
    }

    [Fact(Timeout = 30_000)]
    public async Task ThreeNodeExample_NodesDifferAndHaproxyPointsAtThem()
    {
        await Task.Yield();
        var nodes = new[] { "node1.env", "node2.env", "node3.env" }
            .Select(f => new ConfigurationBuilder().AddInMemoryCollection(ClusterExampleSettings(f)).Build())
            .ToList();
        var addresses = nodes.Select(n => n["Bifro:Cluster:Transport:AdvertisedAddress"]!).ToList();
        Assert.Equal(3, addresses.Distinct().Count());
        Assert.Equal(3, nodes.Select(n => n["Bifro:Node:Name"]).Distinct().Count());

        // Every HAProxy server line names a node's address and one of its MQTT listener ports.
        var servers = File.ReadAllLines(Path.Combine(Deploy, "haproxy", "haproxy.cfg"))
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("server ", StringComparison.Ordinal))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2])
            .ToList();
        Assert.NotEmpty(servers);
        var ports = new[] { nodes[0]["Bifro:Mqtt:Tcp:Port"], nodes[0]["Bifro:Mqtt:Tls:Port"] };
        foreach (var server in servers)
        {
            var (host, port) = (server[..server.LastIndexOf(':')], server[(server.LastIndexOf(':') + 1)..]);
            Assert.Contains(host, addresses);
            Assert.Contains(port, ports);
        }

        foreach (var address in addresses)
        {
            Assert.Contains(servers, s => s.StartsWith(address + ":", StringComparison.Ordinal));
        }

        // HAProxy sends PROXY protocol v2, so the listeners behind it must expect it.
        Assert.True(bool.Parse(nodes[0]["Bifro:Mqtt:Tcp:ProxyProtocol"]!));
        Assert.True(bool.Parse(nodes[0]["Bifro:Mqtt:Tls:ProxyProtocol"]!));
    }

    [Fact(Timeout = 60_000)]
    public async Task Haproxy_AcceptsTheConfiguration()
    {
        var haproxy = new[] { "/usr/sbin/haproxy", "/usr/bin/haproxy" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("haproxy is not installed (apt-get install haproxy; .ci/run installs it).");
        var start = new ProcessStartInfo(haproxy, ["-c", "-f", Path.Combine(Deploy, "haproxy", "haproxy.cfg")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"haproxy -c failed: {output}");
        Assert.Contains("Configuration file is valid", output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Systemd_UnitsRunTheNodeWithItsEnvironmentFile()
    {
        await Task.Yield();
        var node = ReadUnit("bifro@.service");
        Assert.Equal("/etc/bifro/%i.env", node["Service"]["EnvironmentFile"]);
        Assert.EndsWith("bifro.dll", node["Service"]["ExecStart"], StringComparison.Ordinal);
        Assert.Equal("SIGTERM", node["Service"]["KillSignal"]);
        Assert.Contains("bifro-migrate.service", node["Unit"]["After"], StringComparison.Ordinal);

        var migrate = ReadUnit("bifro-migrate.service");
        Assert.Equal("oneshot", migrate["Service"]["Type"]);
        Assert.EndsWith("bifro.dll migrate", migrate["Service"]["ExecStart"], StringComparison.Ordinal);
    }

    /// <summary>The shared appsettings plus one node's environment file, with the machine's paths replaced by files made here.</summary>
    private List<KeyValuePair<string, string?>> ClusterExampleSettings(string envFile)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Deploy, "config", "appsettings.cluster.json"))
            .AddInMemoryCollection(File.ReadAllLines(Path.Combine(Deploy, "config", envFile))
                .Where(l => l.Length > 0 && !l.StartsWith('#'))
                .Select(l => KeyValuePair.Create(l[..l.IndexOf('=')].Replace("__", ":", StringComparison.Ordinal), (string?)l[(l.IndexOf('=') + 1)..])))
            .Build();
        return configuration.AsEnumerable().Where(e => e.Value is not null).ToList();
    }

    /// <summary>What a pod's environment holds: the ConfigMap and Secret it loads, and its own env with the downward API's values.</summary>
    private static Dictionary<string, string> KubernetesEnvironment(List<YamlMappingNode> documents, YamlMappingNode container)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in Sequence(container, "envFrom").Cast<YamlMappingNode>())
        {
            var (kind, reference, dataKey) = source.Children.ContainsKey("configMapRef")
                ? ("ConfigMap", Scalar(source, "configMapRef", "name"), "data")
                : ("Secret", Scalar(source, "secretRef", "name"), "stringData");
            var document = Assert.Single(documents, d => Scalar(d, "kind") == kind && Scalar(d, "metadata", "name") == reference);
            foreach (var (key, value) in Map(document, dataKey).Children)
            {
                environment[((YamlScalarNode)key).Value!] = ((YamlScalarNode)value).Value!;
            }
        }

        foreach (var entry in Sequence(container, "env").Cast<YamlMappingNode>())
        {
            environment[Scalar(entry, "name")] = Scalar(entry, "valueFrom", "fieldRef", "fieldPath") switch
            {
                "status.podIP" => "10.244.1.7",
                "metadata.name" => "bifro-0",
                var other => throw new InvalidOperationException($"No test value for {other}."),
            };
        }

        return environment;
    }

    /// <summary>
    /// Runs the node's own configuration checks, after pointing certificate and user-file paths at real
    /// files made here, and checks that every Bifro key names a setting that exists.
    /// </summary>
    private List<string> Validate(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var (certificate, key) = MakeCertificate();
        var users = Path.Combine(_files, "users.json");
        File.WriteAllText(users, """{ "users": [], "acl": [] }""");
        var remapped = settings.Select(s => KeyValuePair.Create(s.Key, (string?)(s.Value switch
        {
            { } v when v.StartsWith("/etc/bifro/", StringComparison.Ordinal) && v.EndsWith(".key", StringComparison.Ordinal) => key,
            { } v when v.StartsWith("/etc/bifro/", StringComparison.Ordinal) && v.EndsWith(".crt", StringComparison.Ordinal) => certificate,
            { } v when v.StartsWith("/etc/bifro/", StringComparison.Ordinal) && v.EndsWith(".json", StringComparison.Ordinal) => users,
            var v => v,
        }))).ToList();

        var errors = new List<string>();
        foreach (var (name, _) in remapped)
        {
            if (name.StartsWith("Bifro:", StringComparison.Ordinal) && !SettingsCatalog.Exists(name))
            {
                errors.Add($"{name} is not a setting of the node.");
            }
        }

        NodeSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(remapped).Build(), errors);
        return errors;
    }

    private (string Certificate, string Key) MakeCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=bifro-deploy-test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certificatePath = Path.Combine(_files, "node.crt");
        var keyPath = Path.Combine(_files, "node.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    private static Dictionary<string, Dictionary<string, string>> ReadUnit(string name)
    {
        var sections = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        Dictionary<string, string>? current = null;
        foreach (var raw in File.ReadAllLines(Path.Combine(Deploy, "systemd", name)))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith('['))
            {
                sections[line[1..^1]] = current = new Dictionary<string, string>(StringComparer.Ordinal);
                continue;
            }

            var equals = line.IndexOf('=');
            Assert.True(current is not null && equals > 0, $"{name}: '{line}' is not a key=value line in a section");
            current![line[..equals]] = line[(equals + 1)..];
        }

        return sections;
    }

    private static List<YamlMappingNode> LoadKubernetes()
    {
        var documents = new List<YamlMappingNode>();
        foreach (var file in Directory.GetFiles(Path.Combine(Deploy, "kubernetes"), "*.yaml").Order(StringComparer.Ordinal))
        {
            var stream = new YamlStream();
            using var reader = new StreamReader(file);
            stream.Load(reader);
            foreach (var document in stream.Documents)
            {
                var root = Assert.IsType<YamlMappingNode>(document.RootNode);
                Assert.False(string.IsNullOrEmpty(TryScalar(root, "apiVersion")), $"{file}: a document without apiVersion");
                Assert.False(string.IsNullOrEmpty(TryScalar(root, "kind")), $"{file}: a document without kind");
                documents.Add(root);
            }
        }

        return documents;
    }

    private static YamlMappingNode Single(List<YamlMappingNode> documents, string kind) => Assert.Single(documents, d => Scalar(d, "kind") == kind);

    private static void AssertSelects(YamlMappingNode service, YamlMappingNode podLabels)
    {
        foreach (var (key, value) in Map(service, "spec", "selector").Children)
        {
            Assert.True(podLabels.Children.TryGetValue(key, out var label) && label.Equals(value), $"the pods do not carry the selector label {key}={value}");
        }
    }

    private static YamlNode Node(YamlNode node, params string[] path)
    {
        foreach (var step in path)
        {
            node = ((YamlMappingNode)node).Children[new YamlScalarNode(step)];
        }

        return node;
    }

    private static string? TryScalar(YamlNode node, params string[] path)
    {
        try
        {
            return ((YamlScalarNode)Node(node, path)).Value;
        }
        catch (KeyNotFoundException)
        {
            return null;
        }
    }

    private static string Scalar(YamlNode node, params string[] path) => ((YamlScalarNode)Node(node, path)).Value!;

    private static YamlMappingNode Map(YamlNode node, params string[] path) => (YamlMappingNode)Node(node, path);

    private static YamlSequenceNode Sequence(YamlNode node, params string[] path) => (YamlSequenceNode)Node(node, path);
}
