using Microsoft.Extensions.Logging;

namespace Bifro.Runtime.Activation;

internal sealed partial class CatalogLog(ILogger logger)
{
    [LoggerMessage(1, LogLevel.Warning, "Activation of {GrainId} failed")]
    private static partial void ActivationFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(2, LogLevel.Warning, "OnDeactivateAsync of {GrainId} failed")]
    private static partial void DeactivationFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(3, LogLevel.Error, "A turn of {GrainId} failed outside any call")]
    private static partial void TurnFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(4, LogLevel.Information, "{Count} activations moved to other silos with membership version {Version}")]
    private static partial void ActivationsMoved(ILogger logger, int count, long version);

    public void ActivationsMoved(int count, long version) => ActivationsMoved(logger, count, version);

    public void ActivationFailed(Exception exception, GrainId grainId) => ActivationFailed(logger, exception, grainId);

    public void DeactivationFailed(Exception exception, GrainId grainId) => DeactivationFailed(logger, exception, grainId);

    public void TurnFailed(Exception exception, GrainId grainId) => TurnFailed(logger, exception, grainId);
}
