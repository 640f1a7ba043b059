using Microsoft.Extensions.Options;

namespace Bifro.Silo.Configuration;

internal sealed class NodeOptionsValidator : IValidateOptions<NodeOptions>
{
    public ValidateOptionsResult Validate(string? name, NodeOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            errors.Add($"{NodeOptions.SectionName}:DataDirectory must name a directory.");
        }

        if (options.Storage is not ("sqlite" or "memory"))
        {
            errors.Add($"{NodeOptions.SectionName}:Storage '{options.Storage}' must be 'sqlite' or 'memory'.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
