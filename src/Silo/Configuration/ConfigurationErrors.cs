using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Bifro.Silo.Configuration;

/// <summary>
/// Reads and validates a settings section before anything starts, so that a bad value stops the node
/// with a message naming its key rather than failing somewhere later.
/// </summary>
internal static class ConfigurationErrors
{
    /// <param name="name">The named options' name, for validators that name their key with it (a stream provider's).</param>
    public static T Bind<T>(IConfiguration configuration, string section, List<string> errors, IValidateOptions<T>? validator = null, string? name = null)
        where T : class, new()
    {
        T value;
        try
        {
            value = configuration.GetSection(section).Get<T>(o => o.ErrorOnUnknownConfiguration = false) ?? new T();
        }
        catch (InvalidOperationException exception)
        {
            // The binder names the key: "Failed to convert configuration value at 'Bifro:Mqtt:Tcp:Port' to type 'System.Int32'."
            errors.Add(exception.Message);
            return new T();
        }

        if (validator?.Validate(name, value) is { Failed: true } result)
        {
            errors.AddRange(result.Failures);
        }

        return value;
    }
}
