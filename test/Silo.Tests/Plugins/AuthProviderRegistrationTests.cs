using Bifro.Configuration;
using Bifro.Grains;
using Bifro.Grains.Authorization.Providers;
using Bifro.Grains.Authorization.Providers.Http;
using Bifro.Grains.Authorization.Providers.Postgres;
using Bifro.Grains.Authorization.Providers.Scram;
using Bifro.Silo.Plugins;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Bifro.Silo.Tests.Plugins;

public sealed class AuthProviderRegistrationTests
{
    [Theory]
    [InlineData(null, "Bifro:Auth:Provider is not set")]
    [InlineData("", "Bifro:Auth:Provider is not set")]
    [InlineData("ldap", "Bifro:Auth:Provider 'ldap'")]
    [InlineData("file", "Bifro:Auth:File:Path")]
    [InlineData("plugin", "Bifro:Auth:Plugin:Path")]
    [InlineData("postgres", "Bifro:Auth:Postgres:ConnectionString")]
    [InlineData("http", "Bifro:Auth:Http:AuthenticateUrl")]
    [InlineData("http", "Bifro:Auth:Http:CheckPermissionUrl")]
    [InlineData("scram", "Bifro:Auth:Scram:Store")]
    public void Validate_MissingOrUnknownProvider_NamesTheKey(string? provider, string message)
    {
        var result = new AuthOptionsValidator().Validate(null, new AuthOptions { Provider = provider });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures, f => f.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_BadSettings_NameTheirKeys()
    {
        var result = new AuthOptionsValidator().Validate(null, new AuthOptions
        {
            Provider = "allow-all",
            Timeout = TimeSpan.Zero,
            DecisionCacheTtl = TimeSpan.FromSeconds(-1),
            FailedConnectDelayMin = TimeSpan.FromSeconds(2),
            FailedConnectDelayMax = TimeSpan.FromSeconds(1),
            DeniedQoS0Publish = "ignore",
        });

        foreach (var key in new[] { "Bifro:Auth:Timeout", "Bifro:Auth:DecisionCacheTtl", "Bifro:Auth:FailedConnectDelayMax", "Bifro:Auth:DeniedQoS0Publish" })
        {
            Assert.Contains(result.Failures!, f => f.Contains(key, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Validate_BadProviderSettings_NameTheirKeys()
    {
        var postgres = new AuthOptionsValidator().Validate(null, new AuthOptions
        {
            Provider = "postgres",
            Postgres = { ConnectionString = "Host=x", CacheTtl = TimeSpan.FromSeconds(-1), MaxCachedUsers = 0, CertificateUsername = "serial" },
        });
        var http = new AuthOptionsValidator().Validate(null, new AuthOptions
        {
            Provider = "http",
            Http = { AuthenticateUrl = "ftp://x/auth", CheckPermissionUrl = "relative/check", RequestTimeout = TimeSpan.Zero, NegativeCacheTtl = TimeSpan.FromSeconds(-1), CacheSize = 0 },
        });
        var scram = new AuthOptionsValidator().Validate(null, new AuthOptions { Provider = "scram", Scram = { Store = "postgres" } });

        foreach (var key in new[] { "Postgres:CacheTtl", "Postgres:MaxCachedUsers", "Postgres:CertificateUsername" })
        {
            Assert.Contains(postgres.Failures!, f => f.Contains("Bifro:Auth:" + key, StringComparison.Ordinal));
        }

        foreach (var key in new[] { "Http:AuthenticateUrl", "Http:CheckPermissionUrl", "Http:RequestTimeout", "Http:NegativeCacheTtl", "Http:CacheSize" })
        {
            Assert.Contains(http.Failures!, f => f.Contains("Bifro:Auth:" + key, StringComparison.Ordinal));
        }

        Assert.Contains(scram.Failures!, f => f.Contains("Bifro:Auth:Postgres:ConnectionString", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("postgres", typeof(PostgresAuthProvider))]
    [InlineData("http", typeof(HttpAuthProvider))]
    [InlineData("scram", typeof(ScramAuthProvider))]
    public void Register_NewProviders_RegistersThem(string provider, Type expected)
    {
        var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System);
        var errors = new List<string>();
        var options = new AuthOptions
        {
            Provider = provider,
            Postgres = { ConnectionString = "Host=127.0.0.1;Port=1;Database=none" },
            Http = { AuthenticateUrl = "http://127.0.0.1:1/auth", CheckPermissionUrl = "http://127.0.0.1:1/check" },
            Scram = { Store = "postgres" },
        };

        AuthProviderRegistration.Register(services, options, errors);

        Assert.Empty(errors);
        using var built = services.BuildServiceProvider();
        Assert.IsType(expected, built.GetRequiredService<IAuthProvider>());
        Assert.StartsWith(provider, AuthProviderRegistration.Describe(built.GetRequiredService<IAuthProvider>(), options), StringComparison.Ordinal);
    }

    [Fact]
    public void Register_ScramOverFile_LoadsTheFileAtOnce()
    {
        var errors = new List<string>();

        AuthProviderRegistration.Register(new ServiceCollection(), new AuthOptions { Provider = "scram", Scram = { Store = "file" }, File = { Path = "/nonexistent/users.json" } }, errors);

        Assert.Contains("Bifro:Auth:File:Path", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AllowAllWithDefaults_Succeeds() =>
        Assert.True(new AuthOptionsValidator().Validate(null, new AuthOptions { Provider = "allow-all" }).Succeeded);

    [Fact]
    public void Register_AllowAll_RegistersIt()
    {
        var services = new ServiceCollection();
        var errors = new List<string>();

        AuthProviderRegistration.Register(services, new AuthOptions { Provider = "allow-all" }, errors);

        Assert.Empty(errors);
        Assert.IsType<AllowAllAuthProvider>(services.BuildServiceProvider().GetRequiredService<IAuthProvider>());
    }

    [Fact]
    public void Register_FileThatIsMissing_ErrorNamesTheKey()
    {
        var errors = new List<string>();

        AuthProviderRegistration.Register(new ServiceCollection(), new AuthOptions { Provider = "file", File = { Path = "/nonexistent/users.json" } }, errors);

        Assert.Contains("Bifro:Auth:File:Path", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Register_PluginFolderWithoutTheClass_ErrorNamesTheKeys()
    {
        var folder = Directory.CreateTempSubdirectory("bifro-plugins-").FullName;
        try
        {
            var errors = new List<string>();

            AuthProviderRegistration.Register(new ServiceCollection(), new AuthOptions { Provider = "plugin", Plugin = { Path = folder, TypeName = "Acme.Auth" } }, errors);

            var error = Assert.Single(errors);
            Assert.Contains("Bifro:Auth:Plugin:Path", error, StringComparison.Ordinal);
            Assert.Contains("no class Acme.Auth", error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void FindType_NodeAssemblyClassNotAProvider_Refused()
    {
        // The node's own assemblies are shared, never plugins: a folder holding only them has no plugin.
        var type = PluginLoader.FindType<IAuthProvider>(typeof(AuthProviderRegistrationTests).Assembly.Location, typeof(AuthProviderRegistrationTests).FullName!, out var error);

        Assert.Null(type);
        Assert.Contains("not a concrete class implementing", error, StringComparison.Ordinal);
    }
}
