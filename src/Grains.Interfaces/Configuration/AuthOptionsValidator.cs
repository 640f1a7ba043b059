using Microsoft.Extensions.Options;

namespace Bifro.Configuration;

/// <summary>Checks "Bifro:Auth"; each message names its key.</summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public const string AllowAll = "allow-all";
    public const string File = "file";
    public const string Plugin = "plugin";

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var errors = new List<string>();
        const string Section = AuthOptions.SectionName;
        switch (options.Provider)
        {
            case null or "":
                errors.Add($"{Section}:Provider is not set: choose 'file' (users and ACL rules in {Section}:File:Path), 'plugin' " +
                    $"({Section}:Plugin:Path and TypeName), or 'allow-all' (no authentication; development only). There is no open broker by default.");
                break;
            case File:
                if (string.IsNullOrWhiteSpace(options.File.Path))
                {
                    errors.Add($"{Section}:File:Path must name the users and ACL file when {Section}:Provider is 'file'.");
                }

                break;
            case Plugin:
                if (string.IsNullOrWhiteSpace(options.Plugin.Path))
                {
                    errors.Add($"{Section}:Plugin:Path must name the plugin assembly or its folder when {Section}:Provider is 'plugin'.");
                }

                if (string.IsNullOrWhiteSpace(options.Plugin.TypeName))
                {
                    errors.Add($"{Section}:Plugin:TypeName must name the IAuthProvider class when {Section}:Provider is 'plugin'.");
                }

                break;
            case AllowAll:
                break;
            default:
                errors.Add($"{Section}:Provider '{options.Provider}' must be 'file', 'plugin' or 'allow-all'.");
                break;
        }

        if (options.Timeout <= TimeSpan.Zero)
        {
            errors.Add($"{Section}:Timeout must be above zero.");
        }

        if (options.DecisionCacheTtl < TimeSpan.Zero)
        {
            errors.Add($"{Section}:DecisionCacheTtl must not be negative (0 turns the cache off).");
        }

        if (options.DecisionCacheSize < 1)
        {
            errors.Add($"{Section}:DecisionCacheSize must be at least 1.");
        }

        if (options.FailedConnectDelayMin < TimeSpan.Zero || options.FailedConnectDelayMax < options.FailedConnectDelayMin)
        {
            errors.Add($"{Section}:FailedConnectDelayMin must not be negative, and {Section}:FailedConnectDelayMax must not be below it.");
        }

        if (!string.Equals(options.DeniedQoS0Publish, "disconnect", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(options.DeniedQoS0Publish, "drop", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{Section}:DeniedQoS0Publish '{options.DeniedQoS0Publish}' must be 'disconnect' or 'drop'.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
