using System.Net;
using Bifro.Grains;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Framing;
using Microsoft.Extensions.Logging;

namespace Bifro.MqttEdge.Connection;

internal sealed partial class MqttConnection
{

    [LoggerMessage(1, LogLevel.Debug, "Connection from {RemoteEndPoint} sent a bad frame ({Status})")]
    private static partial void LogBadFrame(ILogger logger, FrameStatus status, EndPoint? remoteEndPoint);

    [LoggerMessage(2, LogLevel.Error, "Connection from {RemoteEndPoint} failed")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception, EndPoint? remoteEndPoint);

    [LoggerMessage(3, LogLevel.Debug, "Connection from {RemoteEndPoint} sent {PacketType} before CONNECT")]
    private static partial void LogNotConnect(ILogger logger, PacketType packetType, EndPoint? remoteEndPoint);

    [LoggerMessage(4, LogLevel.Debug, "Protocol violation [{Statement}] {Message} from {RemoteEndPoint}")]
    private static partial void LogProtocolViolation(ILogger logger, string statement, string message, EndPoint? remoteEndPoint);

    [LoggerMessage(5, LogLevel.Warning, "Session {SessionKey} could not be detached")]
    private static partial void LogDetachFailed(ILogger logger, Exception exception, string? sessionKey);

    [LoggerMessage(6, LogLevel.Warning, "Session {SessionKey} could not be attached")]
    private static partial void LogAttachFailed(ILogger logger, Exception exception, string sessionKey);

    [LoggerMessage(7, LogLevel.Debug, "CONNECT from {RemoteEndPoint} refused with {ReasonCode}")]
    private static partial void LogConnectRefused(ILogger logger, ReasonCode reasonCode, EndPoint? remoteEndPoint);

    [LoggerMessage(8, LogLevel.Debug, "{SessionKey} connected with {Version} (session present: {SessionPresent}, persistent: {Persistent}) from {RemoteEndPoint} on listener {Listener}")]
    private static partial void LogConnected(ILogger logger, string sessionKey, ProtocolVersion version, bool sessionPresent, bool persistent, EndPoint? remoteEndPoint, string listener);

    [LoggerMessage(9, LogLevel.Warning, "A message from {SessionKey} could not be handed off")]
    private static partial void LogHandOffFailed(ILogger logger, Exception? exception, string? sessionKey);

    [LoggerMessage(10, LogLevel.Warning, "Subscription change of {SessionKey} failed")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception, string? sessionKey);

    [LoggerMessage(11, LogLevel.Warning, "Retained messages for {Filter} could not be read")]
    private static partial void LogRetainedFailed(ILogger logger, Exception exception, string filter);

    [LoggerMessage(12, LogLevel.Debug, "{SessionKey} sent DISCONNECT {ReasonCode}")]
    private static partial void LogClientDisconnected(ILogger logger, string? sessionKey, ReasonCode reasonCode);

    [LoggerMessage(13, LogLevel.Debug, "{SessionKey} kicked with reason {ReasonCode}")]
    private static partial void LogKicked(ILogger logger, string? sessionKey, byte reasonCode);

    [LoggerMessage(14, LogLevel.Debug, "Connection from {RemoteEndPoint} sent no CONNECT in time")]
    private static partial void LogConnectTimeout(ILogger logger, EndPoint? remoteEndPoint);

    [LoggerMessage(15, LogLevel.Debug, "{SessionKey} silent past its keep alive of {KeepAlive} s")]
    private static partial void LogKeepAliveTimeout(ILogger logger, string? sessionKey, int keepAlive);

    [LoggerMessage(16, LogLevel.Debug, "{SessionKey} disconnected ({Reason})")]
    private static partial void LogDisconnected(ILogger logger, string? sessionKey, DetachReason reason);

    [LoggerMessage(17, LogLevel.Warning, "Writing to {RemoteEndPoint} failed")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, EndPoint? remoteEndPoint);

    [LoggerMessage(19, LogLevel.Debug, "{SessionKey} stays congested past the back-pressure timeout; {Publisher} goes on without waiting")]
    private static partial void LogBackpressureWaived(ILogger logger, string? sessionKey, string? publisher);

    [LoggerMessage(18, LogLevel.Debug, "Message on {Topic} for {SessionKey} dropped: larger than the client's maximum packet size {MaximumPacketSize}")]
    private static partial void LogTooLarge(ILogger logger, string? sessionKey, string topic, uint maximumPacketSize);

    [LoggerMessage(30, LogLevel.Information, "Authentication of client {ClientId} from {RemoteEndPoint} failed: {Result}")]
    private static partial void LogAuthenticationFailed(ILogger logger, string clientId, EndPoint? remoteEndPoint, string result);

    [LoggerMessage(31, LogLevel.Warning, "The auth provider asked client {ClientId} from {RemoteEndPoint} to continue authentication without an Authentication Method; refused")]
    private static partial void LogAuthContinueWithoutMethod(ILogger logger, string clientId, EndPoint? remoteEndPoint);

    [LoggerMessage(32, LogLevel.Information, "Re-authentication of {SessionKey} failed: {Result}")]
    private static partial void LogReAuthenticationFailed(ILogger logger, string? sessionKey, string result);

    [LoggerMessage(33, LogLevel.Warning, "Authorization check for {SessionKey} failed; denied (fail closed)")]
    private static partial void LogAuthorizationFailed(ILogger logger, Exception? exception, string? sessionKey);

    [LoggerMessage(34, LogLevel.Information, "CONNECT of {SessionKey} from {RemoteEndPoint} not authorized: {Reason}")]
    private static partial void LogConnectNotAuthorized(ILogger logger, string sessionKey, EndPoint? remoteEndPoint, string? reason);

    [LoggerMessage(35, LogLevel.Warning, "Reattaching session {SessionKey} after a cluster change failed; closing its connection")]
    private static partial void LogReattachFailed(ILogger logger, Exception exception, string? sessionKey);

    [LoggerMessage(40, LogLevel.Information, "{Client} exceeded the tenant limit {Setting}: {Message}")]
    private static partial void LogLimitExceeded(ILogger logger, string client, string setting, string message);

    [LoggerMessage(41, LogLevel.Warning, "The settings or connection count of tenant {Tenant} could not be read; CONNECT refused (fail closed)")]
    private static partial void LogSettingsFailed(ILogger logger, Exception exception, string tenant);

    [LoggerMessage(42, LogLevel.Information, "CONNECT of client {ClientId} from {RemoteEndPoint} refused: banned ({Ban})")]
    private static partial void LogBanned(ILogger logger, string? clientId, EndPoint? remoteEndPoint, string ban);

    [LoggerMessage(43, LogLevel.Warning, "Deny list {Scope} could not be loaded in time; CONNECT goes on without it")]
    private static partial void LogDenyListUnavailable(ILogger logger, Exception exception, string scope);
}
