using Bifro.Configuration;
using Bifro.Runtime.Activation;
using Bifro.Serialization;
using Bifro.Serialization.Invocation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bifro.Runtime.Messaging;

/// <summary>
/// Routes messages: to an observer object, to a local activation, or (in a cluster) to the silo that
/// hosts the grain. With <see cref="MessagingOptions.SerializeLocalCalls"/> every local call and
/// response goes through the wire format first.
/// </summary>
internal sealed class MessageCenter
{
    private readonly Catalog _catalog;
    private readonly ObserverRegistry _observers;
    private readonly IServiceProvider _services;
    private readonly bool _serializeLocalCalls;
    private SerializerSession? _session;

    public MessageCenter(Catalog catalog, ObserverRegistry observers, IServiceProvider services, IOptions<MessagingOptions> options)
    {
        _catalog = catalog;
        _observers = observers;
        _services = services;
        _serializeLocalCalls = options.Value.SerializeLocalCalls;
    }

    private SerializerSession Session => _session ??= new SerializerSession(_services.GetRequiredService<IGrainReferenceRuntime>());

    public void Send(Message message)
    {
        if (_serializeLocalCalls)
        {
            message = RoundTrip(message);
        }

        if (message.TargetId.Type == ObserverRegistry.ObserverType)
        {
            _observers.Deliver(message);
            return;
        }

        _catalog.Deliver(message.TargetId, message);
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
