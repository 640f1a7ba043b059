using Microsoft.Extensions.Options;

namespace Bifro.Configuration;

/// <summary>Checks <see cref="MemoryStreamOptions"/> at start, naming the configuration key at fault.</summary>
internal sealed class MemoryStreamOptionsValidator : IValidateOptions<MemoryStreamOptions>
{
    public ValidateOptionsResult Validate(string? name, MemoryStreamOptions options)
    {
        var section = $"Bifro:Streams:{name}";
        var failures = new List<string>();
        if (options.BufferSize < 1)
        {
            failures.Add($"{section}:BufferSize must be at least 1; it is {options.BufferSize}.");
        }

        if (options.MaxBatchSize < 1)
        {
            failures.Add($"{section}:MaxBatchSize must be at least 1; it is {options.MaxBatchSize}.");
        }

        if (options.NodeBufferSize < 1)
        {
            failures.Add($"{section}:NodeBufferSize must be at least 1; it is {options.NodeBufferSize}.");
        }

        if (options.MaxNodeBatchSize < 1)
        {
            failures.Add($"{section}:MaxNodeBatchSize must be at least 1; it is {options.MaxNodeBatchSize}.");
        }

        if (name is not null && name.Contains('/', StringComparison.Ordinal))
        {
            failures.Add($"{section}: a stream provider's name must not contain '/'.");
        }

        if (options.DrainTimeout < TimeSpan.Zero)
        {
            failures.Add($"{section}:DrainTimeout must not be negative; it is {options.DrainTimeout}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
