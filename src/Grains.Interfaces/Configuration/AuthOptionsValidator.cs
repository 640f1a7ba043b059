using Microsoft.Extensions.Options;

namespace Bifro.Configuration;

/// <summary>Checks "Bifro:Auth"; each message names its key.</summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public const string AllowAll = "allow-all";
    public const string File = "file";
    public const string Plugin = "plugin";
    public const string Postgres = "postgres";
    public const string Http = "http";
    public const string Scram = "scram";

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var errors = new List<string>();
        const string Section = AuthOptions.SectionName;
        switch (options.Provider)
        {
            case null or "":
                errors.Add($"{Section}:Provider is not set: choose 'file' (users and ACL rules in {Section}:File:Path), 'postgres' " +
                    $"({Section}:Postgres:ConnectionString), 'http' ({Section}:Http:AuthenticateUrl and CheckPermissionUrl), 'scram' " +
                    $"({Section}:Scram:Store), 'plugin' ({Section}:Plugin:Path and TypeName), or 'allow-all' (no authentication; " +
                    "development only). There is no open broker by default.");
                break;
            case File:
                ValidateFile(options, errors);
                break;
            case Postgres:
                ValidatePostgres(options, errors);
                break;
            case Http:
                ValidateHttp(options.Http, errors);
                break;
            case Scram:
                switch (options.Scram.Store)
                {
                    case File:
                        ValidateFile(options, errors);
                        break;
                    case Postgres:
                        ValidatePostgres(options, errors);
                        break;
                    default:
                        errors.Add($"{Section}:Scram:Store '{options.Scram.Store}' must be 'file' or 'postgres' (where the users and their SCRAM credentials are).");
                        break;
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
                errors.Add($"{Section}:Provider '{options.Provider}' must be 'file', 'postgres', 'http', 'scram', 'plugin' or 'allow-all'.");
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

    private static void ValidateFile(AuthOptions options, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(options.File.Path))
        {
            errors.Add($"{AuthOptions.SectionName}:File:Path must name the users and ACL file when {AuthOptions.SectionName}:Provider is '{options.Provider}'.");
        }
    }

    private static void ValidatePostgres(AuthOptions options, List<string> errors)
    {
        const string Section = AuthOptions.SectionName + ":Postgres";
        var postgres = options.Postgres;
        if (string.IsNullOrWhiteSpace(postgres.ConnectionString))
        {
            errors.Add($"{Section}:ConnectionString must be set when {AuthOptions.SectionName}:Provider is '{options.Provider}'.");
        }

        if (postgres.CacheTtl < TimeSpan.Zero)
        {
            errors.Add($"{Section}:CacheTtl must not be negative (0 reads the tables every time).");
        }

        if (postgres.MaxCachedUsers < 1)
        {
            errors.Add($"{Section}:MaxCachedUsers must be at least 1.");
        }

        if (postgres.CertificateUsername is not (null or "cn" or "san-dns" or "san-email"))
        {
            errors.Add($"{Section}:CertificateUsername '{postgres.CertificateUsername}' must be 'cn', 'san-dns' or 'san-email'.");
        }
    }

    private static void ValidateHttp(HttpAuthOptions http, List<string> errors)
    {
        const string Section = AuthOptions.SectionName + ":Http";
        foreach (var (key, value) in new[] { ("AuthenticateUrl", http.AuthenticateUrl), ("CheckPermissionUrl", http.CheckPermissionUrl) })
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"{Section}:{key} must be an absolute http or https URL (it is '{value}').");
            }
        }

        if (http.RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{Section}:RequestTimeout must be above zero.");
        }

        if (http.CacheTtl < TimeSpan.Zero || http.NegativeCacheTtl < TimeSpan.Zero)
        {
            errors.Add($"{Section}:CacheTtl and {Section}:NegativeCacheTtl must not be negative (0 turns caching off).");
        }

        if (http.CacheSize < 1)
        {
            errors.Add($"{Section}:CacheSize must be at least 1.");
        }
    }
}
