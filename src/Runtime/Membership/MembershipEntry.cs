using System.Globalization;

namespace Bifro.Runtime;

/// <summary>One row of the membership table (Orleans' MembershipEntry).</summary>
public sealed class MembershipEntry
{
    /// <summary>The format of suspicion vote times, as Orleans' LogFormatter.PrintDate.</summary>
    public const string DateFormat = "yyyy-MM-dd HH:mm:ss.fff 'GMT'";

    public required SiloAddress SiloAddress { get; init; }

    public SiloStatus Status { get; set; }

    /// <summary>Votes that this silo is dead: who suspected it, and when.</summary>
    public List<(SiloAddress Voter, DateTime At)> SuspectTimes { get; init; } = new();

    /// <summary>The gateway (client) port; 0 when the silo takes no clients.</summary>
    public int ProxyPort { get; init; }

    public string HostName { get; init; } = string.Empty;

    public string SiloName { get; init; } = string.Empty;

    public DateTime StartTime { get; init; }

    public DateTime IAmAliveTime { get; set; }

    public MembershipEntry Copy() => new()
    {
        SiloAddress = SiloAddress,
        Status = Status,
        SuspectTimes = new List<(SiloAddress, DateTime)>(SuspectTimes),
        ProxyPort = ProxyPort,
        HostName = HostName,
        SiloName = SiloName,
        StartTime = StartTime,
        IAmAliveTime = IAmAliveTime,
    };

    /// <summary>Orleans' text form: "ip:port@gen,yyyy-MM-dd HH:mm:ss.fff GMT|...".</summary>
    public string? FormatSuspectTimes()
    {
        if (SuspectTimes.Count == 0)
        {
            return null;
        }

        return string.Join('|', SuspectTimes.Select(v => $"{v.Voter.ToParsableString()},{v.At.ToString(DateFormat, CultureInfo.InvariantCulture)}"));
    }

    public static List<(SiloAddress, DateTime)> ParseSuspectTimes(string? text)
    {
        var votes = new List<(SiloAddress, DateTime)>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return votes;
        }

        foreach (var vote in text.Split('|', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = vote.IndexOf(',');
            if (comma > 0 && SiloAddress.TryParse(vote[..comma], out var voter)
                && DateTime.TryParseExact(vote[(comma + 1)..], DateFormat, CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at))
            {
                votes.Add((voter, at));
            }
        }

        return votes;
    }

    public override string ToString() => $"{SiloAddress} {Status} ({SiloName})";
}

/// <summary>The table's version: every change bumps it, with a compare-and-swap on the expected version.</summary>
public readonly record struct TableVersion(int Version, string VersionEtag)
{
    public TableVersion Next() => new(Version + 1, VersionEtag);
}

/// <summary>All rows and the version they were read at; each row carries the etag its update must present.</summary>
public sealed record MembershipTableData(IReadOnlyList<(MembershipEntry Entry, string Etag)> Members, TableVersion Version);
