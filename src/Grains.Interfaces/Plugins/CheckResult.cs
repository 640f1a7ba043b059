using Bifro.Runtime;

namespace Bifro.Grains;

/// <summary>The answer to <see cref="IAuthProvider.CheckPermissionAsync"/>: Granted, Denied or Error (which denies).</summary>
[GenerateSerializer]
public sealed record CheckResult([property: Id(0)] CheckDecision Decision, [property: Id(1)] string? Reason)
{
    private static readonly CheckResult s_granted = new(CheckDecision.Granted, null);
    private static readonly CheckResult s_denied = new(CheckDecision.Denied, null);

    public static CheckResult Granted => s_granted;

    public bool IsGranted => Decision == CheckDecision.Granted;

    public static CheckResult Denied(string? reason = null) => reason is null ? s_denied : new(CheckDecision.Denied, reason);

    public static CheckResult Error(string? reason = null) => new(CheckDecision.Error, reason);
}
