using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Bifro.Bench.Mqtt;

namespace Bifro.Bench.Runner;

/// <summary>
/// What the TLS+auth targets share, made once per <c>compare</c>: a throwaway CA and a server certificate for
/// localhost and 127.0.0.1 (openssl, in a temp directory deleted at the end), one user with a random password,
/// and the same rules for both brokers: Bifro's file auth provider (a users file with a <c>hash-password</c>
/// hash and an ACL), Mosquitto's password_file and acl_file. Every CONNECT is authenticated and every publish
/// and subscribe is authorized, on the bench's topics only (<see cref="TopicRoot"/>).
/// </summary>
internal sealed class TlsAuthSetup : IDisposable
{
    /// <summary>Every scenario topic starts with this (ThroughputScenario's prefix); the ACLs allow nothing else.</summary>
    public const string TopicRoot = "bifro-bench";

    public const string Username = "bench";

    /// <summary>
    /// PBKDF2 iterations of the Bifro user's hash: hash-password's minimum. A hash costs its iterations at every
    /// CONNECT, which the scenarios do not measure (they connect before the first phase), and 600,000 (the
    /// default) would add about a second per connection on the 2-core machine. Mosquitto's mosquitto_passwd
    /// (2.0) uses 101 iterations of PBKDF2-SHA512.
    /// </summary>
    public const int HashIterations = 10_000;

    private static readonly TimeSpan s_toolTimeout = TimeSpan.FromSeconds(60);
    private readonly IDisposable _cleanup;

    private TlsAuthSetup(string directory, string password, IDisposable cleanup)
    {
        Directory = directory;
        Password = password;
        _cleanup = cleanup;
    }

    /// <summary>The temp directory with the keys, certificates, users and ACL files.</summary>
    public string Directory { get; }

    public string CaCertificate => Path.Combine(Directory, "ca.crt");

    public string ServerCertificate => Path.Combine(Directory, "server.crt");

    public string ServerKey => Path.Combine(Directory, "server.key");

    /// <summary>Bifro's users and ACL file (Bifro:Auth:File:Path).</summary>
    public string BifroUsersFile => Path.Combine(Directory, "bifro-users.json");

    public string MosquittoPasswordFile => Path.Combine(Directory, "mosquitto.passwd");

    public string MosquittoAclFile => Path.Combine(Directory, "mosquitto.acl");

    private string Password { get; }

    /// <summary>
    /// Generates everything. <paramref name="hashPasswordCommand"/> is a shell command that reads a password on
    /// standard input and prints Bifro's hash of it (the host's <c>hash-password</c>); copies of the users and
    /// ACL files (no keys) go to <paramref name="runDirectory"/> for the record.
    /// </summary>
    public static TlsAuthSetup Create(string hashPasswordCommand, string runDirectory, TextWriter log)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("bifro-bench-tls-").FullName;
        var cleanup = ExitGuard.AddCleanup(() => DeleteDirectory(directory));

        // 16 random bytes as hex: printable, so it passes through any command line or file format unquoted.
        var setup = new TlsAuthSetup(directory, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), cleanup);
        try
        {
            setup.MakeCertificates();
            setup.WriteBifroUsers(hashPasswordCommand);
            setup.WriteMosquittoUsers();
            setup.GrantMosquittoAccess(log);
            File.Copy(setup.BifroUsersFile, Path.Combine(runDirectory, "bifro-users.json"), overwrite: true);
            File.Copy(setup.MosquittoAclFile, Path.Combine(runDirectory, "mosquitto.acl"), overwrite: true);
            log.WriteLine($"TLS+auth: CA and server certificate (EC P-256, localhost and 127.0.0.1), users and ACL files in {directory} (deleted at the end)");
            return setup;
        }
        catch
        {
            setup.Dispose();
            throw;
        }
    }

    /// <summary><paramref name="plain"/> over TLS, trusting only the run's CA, with the bench user's credentials.</summary>
    public ConnectionSettings Secure(ConnectionSettings plain) => plain with
    {
        Tls = TlsClientSettings.FromCaFile(CaCertificate, "localhost"),
        Credentials = new MqttCredentials(Username, Password),
    };

    public void Dispose()
    {
        DeleteDirectory(Directory);
        _cleanup.Dispose();
    }

    private void MakeCertificates()
    {
        // The CA signs the server certificate only. EC P-256 keys: the handshake is not what is measured (one per
        // connection, before the first phase), and both brokers use the same certificate and key.
        Openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
            "-subj", "/CN=bifro-bench CA", "-keyout", Path.Combine(Directory, "ca.key"), "-out", CaCertificate,
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        var request = Path.Combine(Directory, "server.csr");
        Openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-subj", "/CN=localhost", "-keyout", ServerKey, "-out", request);
        var extensions = Path.Combine(Directory, "server.ext");
        File.WriteAllText(extensions, "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n");
        Openssl("x509", "-req", "-in", request, "-CA", CaCertificate, "-CAkey", Path.Combine(Directory, "ca.key"),
            "-CAcreateserial", "-days", "2", "-extfile", extensions, "-out", ServerCertificate);
    }

    private void WriteBifroUsers(string hashPasswordCommand)
    {
        var output = ToolProcess.RunChecked("/bin/sh", ["-c", hashPasswordCommand], s_toolTimeout, Password + "\n");
        var hash = Array.Find(output.Split('\n', StringSplitOptions.TrimEntries), l => l.StartsWith("$pbkdf2-", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"`{hashPasswordCommand}` printed no $pbkdf2-… hash: {output.Trim()}");

        // The README's file provider format: one user, one rule. Connect and unsubscribe need no rule (granted
        // when none matches); publish and subscribe are denied unless a rule allows them, so this one is
        // checked on every publish (through the connection's decision cache) and subscribe.
        var document = new
        {
            users = new[] { new { username = Username, password = hash } },
            acl = new[]
            {
                new
                {
                    effect = "allow",
                    actions = new[] { "publish", "subscribe" },
                    user = Username,
                    topics = new[] { $"{TopicRoot}/#" },
                    qos = new[] { 0, 1 },
                },
            },
        };
        File.WriteAllText(BifroUsersFile, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
    }

    private void WriteMosquittoUsers()
    {
        // mosquitto_passwd -c makes the file, -b takes the password from the command line (a throwaway one).
        ToolProcess.RunChecked("mosquitto_passwd", ["-c", "-b", MosquittoPasswordFile, Username, Password], s_toolTimeout);

        // Mosquitto checks this on every publish it receives and every message it sends to a subscriber.
        File.WriteAllText(MosquittoAclFile, string.Create(CultureInfo.InvariantCulture, $"user {Username}\ntopic readwrite {TopicRoot}/#\n"));
    }

    /// <summary>
    /// Mosquitto started as root drops to the mosquitto user before it reads its certificate, key, password
    /// and ACL files, and the temp directory is private (0700): give that user the directory, as a real
    /// deployment would its key. Root (Bifro here) reads it anyway. Not root: Mosquitto stays our user.
    /// </summary>
    private void GrantMosquittoAccess(TextWriter log)
    {
        if (Environment.UserName != "root")
        {
            return;
        }

        var (code, output) = ToolProcess.Run("chown", ["-R", "mosquitto", Directory], s_toolTimeout);
        if (code != 0)
        {
            log.WriteLine($"TLS+auth: chown -R mosquitto {Directory} failed ({output.Trim()}); Mosquitto may not read its files");
        }
    }

    private void Openssl(params string[] arguments) => ToolProcess.RunChecked("openssl", arguments, s_toolTimeout);

    private static void DeleteDirectory(string directory)
    {
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone (a signal's cleanup ran first).
        }
    }
}
