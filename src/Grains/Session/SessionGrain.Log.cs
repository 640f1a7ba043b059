using Microsoft.Extensions.Logging;

namespace Bifro.Grains.Session;

internal sealed partial class SessionGrain
{
    [LoggerMessage(1, LogLevel.Debug, "Session {SessionKey} taken over from epoch {Epoch}")]
    private partial void LogTakenOver(string sessionKey, long epoch);

    [LoggerMessage(2, LogLevel.Debug, "Session {SessionKey} expired")]
    private partial void LogExpired(string sessionKey);

    [LoggerMessage(3, LogLevel.Debug, "Will of {SessionKey} published to {Topic}")]
    private partial void LogWillPublished(string sessionKey, string topic);

    [LoggerMessage(4, LogLevel.Warning, "Will of {SessionKey} to {Topic} could not be published")]
    private partial void LogWillFailed(Exception exception, string sessionKey, string topic);

    [LoggerMessage(5, LogLevel.Debug, "Session {SessionKey} reattached by its connection on {Node}")]
    private partial void LogReattached(string sessionKey, string node);

    [LoggerMessage(6, LogLevel.Information, "Session {SessionKey} lost its connection with node {Node}")]
    private partial void LogOwnerNodeLost(string sessionKey, string node);

    [LoggerMessage(7, LogLevel.Information, "Session {SessionKey}: its connection was kicked (reason 0x{ReasonCode:X2})")]
    private partial void LogKicked(string sessionKey, byte reasonCode);

    [LoggerMessage(8, LogLevel.Debug, "Session {SessionKey} activated")]
    private partial void LogActivated(string sessionKey);
}
