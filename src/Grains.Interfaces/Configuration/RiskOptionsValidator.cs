using Bifro.Grains;
using Microsoft.Extensions.Options;

namespace Bifro.Configuration;

/// <summary>Checks <see cref="RiskOptions"/> at start, naming the key at fault.</summary>
public sealed class RiskOptionsValidator : IValidateOptions<RiskOptions>
{
    private static readonly string[] s_keys = ["ClientId", "User", "Address", "AddressPrefix"];
    private static readonly string[] s_scopes = ["auto", "tenant", "cluster"];

    public ValidateOptionsResult Validate(string? name, RiskOptions options)
    {
        var failures = new List<string>();
        foreach (var (ruleName, rule) in options.EffectiveRules())
        {
            var section = $"{RiskOptions.SectionName}:Rules:{ruleName}";
            if (rule.Events.Count == 0)
            {
                failures.Add($"{section}:Events must name at least one event type.");
            }

            foreach (var type in rule.Events)
            {
                if (!EventTypes.TryParse(type, out _))
                {
                    failures.Add($"{section}:Events: '{type}' is not an event type.");
                }
            }

            if (!s_keys.Contains(rule.Key, StringComparer.OrdinalIgnoreCase))
            {
                failures.Add($"{section}:Key must be one of {string.Join(", ", s_keys)}; it is '{rule.Key}'.");
            }

            if (!s_scopes.Contains(rule.Scope, StringComparer.OrdinalIgnoreCase))
            {
                failures.Add($"{section}:Scope must be one of {string.Join(", ", s_scopes)}; it is '{rule.Scope}'.");
            }

            if (rule.Count < 1)
            {
                failures.Add($"{section}:Count must be at least 1; it is {rule.Count}.");
            }

            if (rule.Window <= TimeSpan.Zero)
            {
                failures.Add($"{section}:Window must be positive; it is {rule.Window}.");
            }

            if (rule.BanDuration <= TimeSpan.Zero)
            {
                failures.Add($"{section}:BanDuration must be positive; it is {rule.BanDuration}.");
            }

            if (rule.PrefixLengthV4 is < 0 or > 32 || rule.PrefixLengthV6 is < 0 or > 128)
            {
                failures.Add($"{section}:PrefixLengthV4 must be 0–32 and PrefixLengthV6 0–128.");
            }
        }

        foreach (var exempt in options.ExemptAddresses)
        {
            if (!BanValues.TryNormalize(exempt.Contains('/', StringComparison.Ordinal) ? BanKind.Cidr : BanKind.Address, exempt, out _, out var error))
            {
                failures.Add($"{RiskOptions.SectionName}:ExemptAddresses: {error}.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
