using System.CommandLine;
using System.Text.Json.Nodes;

namespace Bifro.Silo.Commands;

/// <summary>
/// <c>bifro admin ...</c>: the common admin API calls from a shell. The node's URL and token come from
/// --url and --token, or BIFRO_ADMIN_URL and BIFRO_ADMIN_TOKEN (safer for the token: it stays out of the
/// process list); --cert/--key give a client certificate for mutual TLS, --cacert the CA of the node's.
/// </summary>
internal static partial class AdminCommand
{
    private static readonly Option<string> s_url = new("--url")
    {
        Description = "The admin API (BIFRO_ADMIN_URL; http://127.0.0.1:8091 by default).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("BIFRO_ADMIN_URL") ?? "http://127.0.0.1:8091",
        Recursive = true,
    };

    private static readonly Option<string?> s_token = new("--token")
    {
        Description = "A bearer token of Bifro:Admin:Tokens (BIFRO_ADMIN_TOKEN).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("BIFRO_ADMIN_TOKEN"),
        Recursive = true,
    };

    private static readonly Option<string?> s_cert = new("--cert") { Description = "PEM client certificate, for an admin API that requires mutual TLS.", Recursive = true };
    private static readonly Option<string?> s_key = new("--key") { Description = "PEM private key of --cert, when not in the same file.", Recursive = true };
    private static readonly Option<string?> s_caCert = new("--cacert") { Description = "PEM CA bundle the node's certificate must chain to (instead of the system's).", Recursive = true };
    private static readonly Option<int> s_timeout = new("--timeout") { Description = "Seconds to wait for an answer (30 by default).", DefaultValueFactory = _ => 30, Recursive = true };

    private static readonly Option<string?> s_tenant = new("--tenant") { Description = "The tenant (\"default\" if not given; all tenants for sessions list)." };
    private static readonly Option<int?> s_limit = new("--limit") { Description = "At most this many (100 by default)." };

    public static void AddTo(RootCommand root)
    {
        var admin = new Command("admin", "Call a node's admin API: sessions, bans, publish, retained messages, cluster members.");
        admin.Options.Add(s_url);
        admin.Options.Add(s_token);
        admin.Options.Add(s_cert);
        admin.Options.Add(s_key);
        admin.Options.Add(s_caCert);
        admin.Options.Add(s_timeout);
        admin.Subcommands.Add(Sessions());
        admin.Subcommands.Add(Publish());
        admin.Subcommands.Add(Retained());
        admin.Subcommands.Add(Cluster());
        AddBans(admin);
        root.Subcommands.Add(admin);
    }

    private static Command Sessions()
    {
        var sessions = new Command("sessions", "List, inspect or end sessions.");

        var list = new Command("list", "Sessions with an activation in the cluster (every connected one).") { s_tenant, s_limit };
        list.SetAction((parse, ct) => CallAsync(parse, HttpMethod.Get, "api/sessions" + Query(("tenant", parse.GetValue(s_tenant)), ("limit", parse.GetValue(s_limit)?.ToString(System.Globalization.CultureInfo.InvariantCulture))), null, ct));

        var tenant = new Argument<string>("tenant") { Description = "The session's tenant." };
        var clientId = new Argument<string>("client-id") { Description = "The session's client id." };
        var show = new Command("show", "One session: subscriptions, and its connection as its node sees it.") { tenant, clientId };
        show.SetAction((parse, ct) => CallAsync(parse, HttpMethod.Get, SessionPath(parse.GetValue(tenant)!, parse.GetValue(clientId)!), null, ct));

        var expire = new Command("expire", "End a session now, as if it expired; its connection is closed (5.0: DISCONNECT 0x98).") { tenant, clientId };
        expire.SetAction((parse, ct) => CallAsync(parse, HttpMethod.Delete, SessionPath(parse.GetValue(tenant)!, parse.GetValue(clientId)!), null, ct));

        sessions.Subcommands.Add(list);
        sessions.Subcommands.Add(show);
        sessions.Subcommands.Add(expire);
        AddKick(sessions, tenant, clientId);
        return sessions;
    }

    private static Command Publish()
    {
        var topic = new Option<string>("--topic", "-t") { Description = "The topic.", Required = true };
        var message = new Option<string?>("--message", "-m") { Description = "The payload, as text." };
        var base64 = new Option<string?>("--base64") { Description = "The payload, as base64 bytes." };
        var qos = new Option<byte>("--qos", "-q") { Description = "0, 1 or 2 (0 by default)." };
        var retain = new Option<bool>("--retain", "-r") { Description = "Retain the message." };
        var command = new Command("publish", "Publish a message as if a client had.") { s_tenant, topic, message, base64, qos, retain };
        command.SetAction((parse, ct) => CallAsync(parse, HttpMethod.Post, "api/publish", new JsonObject
        {
            ["tenant"] = parse.GetValue(s_tenant),
            ["topic"] = parse.GetValue(topic),
            ["payload"] = parse.GetValue(message),
            ["payloadBase64"] = parse.GetValue(base64),
            ["qos"] = parse.GetValue(qos),
            ["retain"] = parse.GetValue(retain),
        }, ct));
        return command;
    }

    private static Command Retained()
    {
        var retained = new Command("retained", "Read or clear retained messages.");
        var filter = new Option<string?>("--filter") { Description = "A topic filter (\"#\" by default for get)." };
        var get = new Command("get", "Retained messages matching a filter.") { s_tenant, filter, s_limit };
        get.SetAction((parse, ct) => CallAsync(parse, HttpMethod.Get, "api/retained" + Query(("tenant", parse.GetValue(s_tenant)), ("filter", parse.GetValue(filter)), ("limit", parse.GetValue(s_limit)?.ToString(System.Globalization.CultureInfo.InvariantCulture))), null, ct));

        var topic = new Option<string?>("--topic") { Description = "Clear this topic's retained message." };
        var clear = new Command("clear", "Clear one topic's retained message (--topic) or every match of a filter (--filter).") { s_tenant, topic, filter, s_limit };
        clear.SetAction((parse, ct) => CallAsync(parse, HttpMethod.Delete, "api/retained" + Query(("tenant", parse.GetValue(s_tenant)), ("topic", parse.GetValue(topic)), ("filter", parse.GetValue(filter)), ("limit", parse.GetValue(s_limit)?.ToString(System.Globalization.CultureInfo.InvariantCulture))), null, ct));
        retained.Subcommands.Add(get);
        retained.Subcommands.Add(clear);
        return retained;
    }

    private static Command Cluster()
    {
        var cluster = new Command("cluster", "The cluster as the node sees it.");
        var members = new Command("members", "Silos in the membership, with their status.");
        members.SetAction((parse, ct) => CallAsync(parse, HttpMethod.Get, "api/cluster/members", null, ct));
        cluster.Subcommands.Add(members);
        return cluster;
    }

    private static async Task<int> CallAsync(ParseResult parse, HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        AdminClient client;
        try
        {
            client = new AdminClient(
                parse.GetValue(s_url)!, parse.GetValue(s_token), parse.GetValue(s_cert), parse.GetValue(s_key), parse.GetValue(s_caCert),
                TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(s_timeout))));
        }
        catch (Exception exception) when (exception is UriFormatException or IOException or System.Security.Cryptography.CryptographicException)
        {
            await Console.Error.WriteLineAsync($"admin: {exception.Message}").ConfigureAwait(false);
            return 2;
        }

        using (client)
        {
            return await client.SendAsync(method, path, body, Console.Out, Console.Error, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string SessionPath(string tenant, string clientId) =>
        $"api/sessions/{Uri.EscapeDataString(tenant)}/{Uri.EscapeDataString(clientId)}";

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var query = new System.Text.StringBuilder();
        foreach (var (name, value) in parameters)
        {
            if (value is not null)
            {
                query.Append(query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            }
        }

        return query.ToString();
    }

    /// <summary>"sessions kick" (AdminCommand.Bans.cs).</summary>
    static partial void AddKick(Command sessions, Argument<string> tenant, Argument<string> clientId);

    /// <summary>"bans list/add/remove" (AdminCommand.Bans.cs).</summary>
    static partial void AddBans(Command admin);
}
