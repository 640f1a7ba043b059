using Microsoft.Extensions.Logging;

namespace Bifro.MqttEdge.Listeners;

internal sealed partial class TlsCertificateSource
{
    [LoggerMessage(1, LogLevel.Information, "Listener {Listener}: TLS certificate {Subject} ({Thumbprint}, valid until {NotAfter:u}) loaded")]
    private static partial void LogLoaded(ILogger logger, string listener, string subject, string thumbprint, DateTime notAfter);

    [LoggerMessage(2, LogLevel.Information, "Listener {Listener}: TLS certificate {Subject} ({Thumbprint}, valid until {NotAfter:u}) reloaded; new connections use it")]
    private static partial void LogReloaded(ILogger logger, string listener, string subject, string thumbprint, DateTime notAfter);

    [LoggerMessage(3, LogLevel.Warning, "Listener {Listener}: the changed TLS files could not be loaded, the previous certificate stays in use: {Error}")]
    private static partial void LogReloadFailed(ILogger logger, string listener, string error);

    [LoggerMessage(4, LogLevel.Debug, "Listener {Listener}: TLS files not readable for now: {Error}")]
    private static partial void LogUnreadable(ILogger logger, string listener, string error);

    [LoggerMessage(5, LogLevel.Warning, "Listener {Listener}: {Directory} cannot be watched ({Error}); its files are checked every reload interval")]
    private static partial void LogNotWatched(ILogger logger, string listener, string directory, string error);
}
