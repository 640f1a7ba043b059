using System.CommandLine;
using System.Text.Json.Nodes;

namespace Bifro.Silo.Commands;

/// <summary><c>bifro admin sessions kick</c> and <c>bifro admin bans list/add/remove</c>.</summary>
internal static partial class AdminCommand
{
    private static readonly Option<bool> s_cluster = new("--cluster") { Description = "The cluster-wide deny list (checked before authentication) rather than a tenant's." };

    static partial void AddKick(Command sessions, Argument<string> tenant, Argument<string> clientId)
    {
        var reason = new Option<string?>("--reason") { Description = "The reason string a 5.0 client gets with DISCONNECT 0x98." };
        var kick = new Command("kick", "Close a session's connection on whichever node holds it (5.0: DISCONNECT 0x98); the session stays.") { tenant, clientId, reason };
        kick.SetAction((parse, ct) => CallAsync(parse, HttpMethod.Post, "api/kick", new JsonObject
        {
            ["tenant"] = parse.GetValue(tenant),
            ["clientId"] = parse.GetValue(clientId),
            ["reason"] = parse.GetValue(reason),
        }, ct));
        sessions.Subcommands.Add(kick);
    }

    static partial void AddBans(Command admin)
    {
        var bans = new Command("bans", "The deny lists: a tenant's (--tenant, \"default\" if not given) or the cluster's (--cluster).");

        var list = new Command("list", "Bans in force.") { s_tenant, s_cluster };
        list.SetAction((parse, ct) => CallAsync(parse, HttpMethod.Get, "api/bans" + BanScope(parse), null, ct));

        var kind = new Option<string>("--kind") { Description = "ClientId, User, Address or Cidr.", Required = true };
        var value = new Option<string>("--value") { Description = "The client id, user, address (203.0.113.7) or prefix (203.0.113.0/24).", Required = true };
        var duration = new Option<long?>("--duration") { Description = "Seconds the ban lasts (until removed if not given)." };
        var reason = new Option<string?>("--reason") { Description = "Why, for the list and the events." };
        var add = new Command("add", "Ban a client id, user, address or address prefix; matching connections are closed.") { s_tenant, s_cluster, kind, value, duration, reason };
        add.SetAction((parse, ct) => CallAsync(parse, HttpMethod.Post, "api/bans", new JsonObject
        {
            ["tenant"] = parse.GetValue(s_tenant),
            ["cluster"] = parse.GetValue(s_cluster),
            ["kind"] = parse.GetValue(kind),
            ["value"] = parse.GetValue(value),
            ["durationSeconds"] = parse.GetValue(duration),
            ["reason"] = parse.GetValue(reason),
        }, ct));

        var id = new Argument<string>("id") { Description = "The ban's id (from bans list)." };
        var remove = new Command("remove", "Remove a ban.") { id, s_tenant, s_cluster };
        remove.SetAction((parse, ct) => CallAsync(parse, HttpMethod.Delete, $"api/bans/{Uri.EscapeDataString(parse.GetValue(id)!)}" + BanScope(parse), null, ct));

        bans.Subcommands.Add(list);
        bans.Subcommands.Add(add);
        bans.Subcommands.Add(remove);
        admin.Subcommands.Add(bans);
    }

    private static string BanScope(ParseResult parse) =>
        parse.GetValue(s_cluster) ? "?cluster=true" : Query(("tenant", parse.GetValue(s_tenant)));
}
