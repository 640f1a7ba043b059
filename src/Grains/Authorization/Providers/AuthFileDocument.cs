namespace Bifro.Grains.Authorization.Providers;

/// <summary>The users and ACL file as JSON (see README.md, "Users and ACL file").</summary>
internal sealed class AuthFileDocument
{
    /// <summary>"cn", "san-dns" or "san-email": a client certificate's name becomes the user name; null: never.</summary>
    public string? CertificateUsername { get; set; }

    public List<UserEntry> Users { get; set; } = [];

    public List<AclEntry> Acl { get; set; } = [];

    internal sealed class UserEntry
    {
        public string? Username { get; set; }

        /// <summary>A hash made by "bifro hash-password".</summary>
        public string? Password { get; set; }

        /// <summary>SCRAM-SHA-256 credentials made by "bifro hash-password --scram", for the scram provider (RFC 5803 form).</summary>
        public string? Scram { get; set; }

        /// <summary>True: a client certificate (validated by the TLS listener) whose name is this user authenticates it without a password.</summary>
        public bool Certificate { get; set; }

        public string? Tenant { get; set; }

        public Dictionary<string, string>? Attributes { get; set; }
    }

    internal sealed class AclEntry
    {
        /// <summary>"allow" or "deny".</summary>
        public string? Effect { get; set; }

        /// <summary>"connect", "publish", "subscribe", "unsubscribe" or "all" (the default).</summary>
        public List<string>? Actions { get; set; }

        public string? User { get; set; }

        public string? ClientId { get; set; }

        public string? Tenant { get; set; }

        /// <summary>The client certificate's subject CN, or "sha256:&lt;fingerprint&gt;".</summary>
        public string? Certificate { get; set; }

        /// <summary>Topic patterns with + and # and %u %c %t; omitted: every topic.</summary>
        public List<string>? Topics { get; set; }

        /// <summary>QoS levels the rule applies to (publish and subscribe); omitted: all.</summary>
        public List<int>? Qos { get; set; }

        /// <summary>Publish only: the rule applies only to retained (true) or only to non-retained (false) messages.</summary>
        public bool? Retain { get; set; }
    }
}
