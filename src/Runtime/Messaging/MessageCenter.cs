using System.Buffers;
using Bifro.Configuration;
using Bifro.Runtime.Activation;
using Bifro.Runtime.Membership;
using Bifro.Runtime.Transport;
using Bifro.Serialization;
using Bifro.Serialization.Invocation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bifro.Runtime.Messaging;

/// <summary>
/// Routes every call: to a local activation or observer, or over the silo transport to the node that
/// owns the grain (by the membership view's ring) or hosts the observer. It also takes the frames other
/// nodes send: requests are routed the same way (forwarded when this silo's view says another owns the
/// grain), responses complete the pending call with the request's own types. With
/// <see cref="MessagingOptions.SerializeLocalCalls"/> every local call goes through the wire format too.
/// </summary>
internal sealed partial class MessageCenter : ITransportDispatcher
{
    // A call forwarded this often is going in circles between silos whose views disagree.
    private const int MaxForwardCount = 4;

    private readonly IServiceProvider _services;
    private readonly ObserverRegistry _observers;
    private readonly ILocalSiloDetails _local;
    private readonly PendingCallTracker _tracker;
    private readonly ILogger<MessageCenter> _logger;
    private readonly bool _serializeLocalCalls;
    private readonly TimeSpan _responseTimeout;
    private Catalog? _catalog;
    private IMembershipViewProvider? _membership;
    private ConnectionManager? _connections;
    private SerializerSession? _session;

    public MessageCenter(
        IServiceProvider services,
        ObserverRegistry observers,
        ILocalSiloDetails local,
        PendingCallTracker tracker,
        IOptions<MessagingOptions> options,
        ILogger<MessageCenter> logger)
    {
        _services = services;
        _observers = observers;
        _local = local;
        _tracker = tracker;
        _logger = logger;
        _serializeLocalCalls = options.Value.SerializeLocalCalls;
        _responseTimeout = options.Value.ResponseTimeout;
    }

    /// <summary>Raised for probe answers (the membership service measures them).</summary>
    public event Action<TransportConnection, long>? PongReceived;

    /// <summary>Raised when a peer says it changed the membership table.</summary>
    public event Action? MembershipChanged;

    private SerializerSession Session => _session ??= new SerializerSession(_services.GetRequiredService<IGrainReferenceRuntime>());

    private Catalog? Catalog => _catalog ??= _services.GetService<Catalog>();

    private IMembershipViewProvider Membership => _membership ??= _services.GetRequiredService<IMembershipViewProvider>();

    private ConnectionManager? Connections => _connections ??= _services.GetService<ConnectionManager>();

    public void Send(Message message)
    {
        if (_serializeLocalCalls && IsLocal(message.TargetId))
        {
            message = RoundTrip(message);
        }

        Route(message);
    }

    /// <summary>Routes a message again (one that reached an activation after it finished).</summary>
    public void Reroute(Message message) => Route(message);

    /// <summary>Sends a probe to a silo; the answer comes back through <see cref="PongReceived"/>.</summary>
    public bool Ping(SiloAddress silo, long probeId)
    {
        var connection = Connections?.GetSiloConnection(silo);
        if (connection is null)
        {
            return false;
        }

        var writer = new Writer();
        writer.WriteVarUInt64((ulong)probeId);
        return connection.TrySend(FrameKind.Ping, writer);
    }

    /// <summary>Tells active silos to read the membership table now (gossip).</summary>
    public void NotifyMembershipChanged(IEnumerable<SiloAddress> silos)
    {
        foreach (var silo in silos)
        {
            if (silo.Equals(_local.SiloAddress))
            {
                continue;
            }

            Connections?.GetSiloConnection(silo).TrySend(FrameKind.MembershipChanged, new Writer());
        }

        // Clients (edge-only nodes) keep their own view from the table; they read it now too.
        if (Connections is { LocalRole: PeerRole.Silo } connections)
        {
            foreach (var client in connections.ConnectedClients)
            {
                connections.FindClient(client)?.TrySend(FrameKind.MembershipChanged, new Writer());
            }
        }
    }

    public void OnFrame(TransportConnection connection, FrameKind kind, ReadOnlySequence<byte> payload)
    {
        byte[]? rented = null;
        var span = payload.IsSingleSegment ? payload.FirstSpan : Copy(payload, out rented);
        try
        {
            switch (kind)
            {
                case FrameKind.Request:
                    OnRequest(connection, span);
                    break;
                case FrameKind.Response:
                    OnResponse(span);
                    break;
                case FrameKind.Ping:
                    var pong = new Writer();
                    pong.WriteRaw(span);
                    connection.TrySend(FrameKind.Pong, pong);
                    break;
                case FrameKind.Pong:
                    var reader = new Reader(span);
                    PongReceived?.Invoke(connection, (long)reader.ReadVarUInt64());
                    break;
                case FrameKind.MembershipChanged:
                    MembershipChanged?.Invoke();
                    break;
                default:
                    LogUnknownFrame((byte)kind, connection.Description);
                    break;
            }
        }
        catch (Exception exception) when (exception is System.Runtime.Serialization.SerializationException or InvalidDataException)
        {
            LogBadFrame(exception, connection.Description);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public void OnClosed(TransportConnection connection, Exception? reason) => _tracker.FailSentOn(connection, reason);

    public void OnSendFailed(long correlationId, Exception? reason)
    {
        if (_tracker.TryRemove(correlationId, out var call) && call is IResponseSink sink)
        {
            sink.Complete(Response.FromException(new SiloUnavailableException(
                $"The call could not be sent: {reason?.Message ?? "the connection closed"}.", reason)));
        }
    }

    private void Route(Message message)
    {
        var target = message.TargetId;
        if (target.Type == ObserverRegistry.ObserverType)
        {
            var node = ObserverRegistry.NodeOf(target);
            if (node == _local.NodeIdentity)
            {
                _observers.Deliver(message);
            }
            else if (node.StartsWith(LocalSiloDetails.ClientPrefix, StringComparison.Ordinal))
            {
                SendToClient(node[LocalSiloDetails.ClientPrefix.Length..], message);
            }
            else if (SiloAddress.TryParse(node, out var silo))
            {
                SendToSilo(silo, message);
            }
            else
            {
                message.Fail(new GrainRuntimeException($"Observer {target} names no node."));
            }

            return;
        }

        var owner = Membership.Current.OwnerOf(target);
        if (owner is null || owner.Equals(_local.SiloAddress))
        {
            if (Catalog is { } catalog)
            {
                catalog.Deliver(target, message);
            }
            else
            {
                message.Fail(new SiloUnavailableException($"No silo is active to host {target}."));
            }

            return;
        }

        SendToSilo(owner, message);
    }

    private bool IsLocal(GrainId target) =>
        target.Type == ObserverRegistry.ObserverType
            ? ObserverRegistry.NodeOf(target) == _local.NodeIdentity
            : Membership.Current.OwnerOf(target) is not { } owner || owner.Equals(_local.SiloAddress);

    private void SendToSilo(SiloAddress silo, Message message)
    {
        var connections = Connections;
        if (connections is null)
        {
            message.Fail(new SiloUnavailableException($"{message} is for silo {silo}, but this node has no silo transport."));
            return;
        }

        var view = Membership.Current;
        if (view.IsDead(silo))
        {
            message.Fail(new SiloUnavailableException($"{message} is for silo {silo}, which is dead."));
            return;
        }

        var connection = connections.LocalRole == PeerRole.Silo
            ? connections.GetSiloConnection(silo)
            : view.Silos.TryGetValue(silo, out var info) && info.GatewayPort > 0
                ? connections.GetGatewayConnection(silo, info.GatewayPort)
                : null;
        if (connection is null)
        {
            message.Fail(new SiloUnavailableException($"Silo {silo} has no gateway for this client."));
            return;
        }

        Transmit(connection, message);
    }

    private void SendToClient(string clientId, Message message)
    {
        var connections = Connections;
        if (connections?.LocalRole == PeerRole.Client)
        {
            // A client reaches another client through a gateway, which both keep a connection to.
            var gateway = connections.AnyOutbound();
            if (gateway is null)
            {
                message.Fail(new SiloUnavailableException($"{message} is for cluster client {clientId}, but no gateway is connected."));
                return;
            }

            Transmit(gateway, message);
            return;
        }

        var connection = connections?.FindClient(clientId);
        if (connection is null)
        {
            message.Fail(new SiloUnavailableException($"Cluster client {clientId} is not connected to this silo."));
            return;
        }

        Transmit(connection, message);
    }

    private void Transmit(TransportConnection connection, Message message)
    {
        long correlationId = 0;
        if (message.ResponseSink is { } sink)
        {
            if (sink is IRemoteResponseTarget pending && pending.Id != 0)
            {
                correlationId = pending.Id;
                pending.SentOn = connection;
            }
            else
            {
                // A call this node relays: its response must come back here first.
                var forwarded = new ForwardedCall(message, sink);
                _tracker.Add(forwarded, message.Request.ResponseTimeout ?? _responseTimeout);
                correlationId = forwarded.Id;
                forwarded.SentOn = connection;
            }
        }

        var writer = new Writer { Session = Session };
        try
        {
            writer.WriteVarUInt64((ulong)correlationId);
            writer.WriteString(message.TargetId.ToString());
            writer.WriteString(message.SourceId?.ToString() ?? string.Empty);
            writer.WriteVarUInt32((uint)message.ForwardCount);
            MessageSerializer.WriteRequestContext(writer, message.RequestContext);
            MessageSerializer.WriteRequest(writer, message.Request);
        }
        catch (Exception exception)
        {
            writer.Dispose();
            _tracker.TryRemove(correlationId, out _);
            message.Fail(exception);
            return;
        }

        if (!connection.TrySend(FrameKind.Request, writer, correlationId))
        {
            _tracker.TryRemove(correlationId, out _);
            message.Fail(new SiloUnavailableException($"The connection {connection} is closed or congested."));
        }
    }

    private void OnRequest(TransportConnection connection, ReadOnlySpan<byte> payload)
    {
        var reader = new Reader(payload, Session);
        var correlationId = (long)reader.ReadVarUInt64();
        var target = GrainId.Parse(reader.ReadString());
        var source = reader.ReadString();
        var forwardCount = (int)reader.ReadVarUInt32();
        var context = MessageSerializer.ReadRequestContext(ref reader);
        RequestBase request;
        try
        {
            request = MessageSerializer.ReadRequest(ref reader);
        }
        catch (System.Runtime.Serialization.SerializationException exception)
        {
            // The caller learns why its call could not be read (an unknown method, a missing type).
            LogBadFrame(exception, connection.Description);
            if (correlationId != 0)
            {
                var failure = new Writer { Session = Session };
                failure.WriteVarUInt64((ulong)correlationId);
                RequestBase.SerializeFailure(failure, new GrainRuntimeException($"The call could not be read: {exception.Message}"));
                connection.TrySend(FrameKind.Response, failure);
            }

            return;
        }

        var message = new Message(target, request)
        {
            SourceId = source.Length == 0 ? null : GrainId.Parse(source),
            RequestContext = context,
            ForwardCount = forwardCount,
            ResponseSink = correlationId == 0 ? null : new RemoteResponseSink(connection, correlationId, request, Session),
        };

        if (!IsLocal(target) && ++message.ForwardCount > MaxForwardCount)
        {
            message.Fail(new GrainRuntimeException($"{message} was forwarded {MaxForwardCount} times; the silos' views disagree."));
            return;
        }

        Route(message);
    }

    private void OnResponse(ReadOnlySpan<byte> payload)
    {
        var reader = new Reader(payload, Session);
        var correlationId = (long)reader.ReadVarUInt64();
        if (!_tracker.TryRemove(correlationId, out var call) || call is not IRemoteResponseTarget target)
        {
            // Timed out already, or a duplicate.
            return;
        }

        Response response;
        try
        {
            response = target.Request.DeserializeResponse(ref reader);
        }
        catch (Exception exception)
        {
            response = Response.FromException(exception);
        }

        target.Complete(response);
    }

    private Message RoundTrip(Message message)
    {
        using var writer = new Writer { Session = Session };
        MessageSerializer.WriteRequest(writer, message.Request);
        MessageSerializer.WriteRequestContext(writer, message.RequestContext);
        var reader = new Reader(writer.WrittenSpan, Session);
        var request = MessageSerializer.ReadRequest(ref reader);
        var context = MessageSerializer.ReadRequestContext(ref reader);
        return new Message(message.TargetId, request)
        {
            SourceId = message.SourceId,
            RequestContext = context,
            ResponseSink = message.ResponseSink is { } sink ? new SerializingResponseSink(message.Request, sink, Session) : null,
        };
    }

    private static ReadOnlySpan<byte> Copy(ReadOnlySequence<byte> payload, out byte[] rented)
    {
        rented = ArrayPool<byte>.Shared.Rent((int)payload.Length);
        payload.CopyTo(rented);
        return rented.AsSpan(0, (int)payload.Length);
    }

    [LoggerMessage(1, LogLevel.Warning, "Unknown frame kind {Kind} from {Connection}")]
    private partial void LogUnknownFrame(byte kind, string connection);

    [LoggerMessage(2, LogLevel.Warning, "A frame from {Connection} could not be read")]
    private partial void LogBadFrame(Exception exception, string connection);

    /// <summary>Sends a local response through the wire format too, with the caller's own invoker as its reader.</summary>
    private sealed class SerializingResponseSink(RequestBase request, IResponseSink inner, SerializerSession session) : IResponseSink
    {
        public void Complete(Response response)
        {
            Response copy;
            try
            {
                using var writer = new Writer { Session = session };
                request.SerializeResponse(writer, response);
                var reader = new Reader(writer.WrittenSpan, session);
                copy = request.DeserializeResponse(ref reader);
            }
            catch (Exception exception)
            {
                copy = Response.FromException(exception);
            }

            inner.Complete(copy);
        }
    }
}
