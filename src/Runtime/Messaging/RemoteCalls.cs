using Bifro.Runtime.Transport;
using Bifro.Serialization;
using Bifro.Serialization.Invocation;

namespace Bifro.Runtime.Messaging;

/// <summary>Sends a call's response back on the connection its request came in on.</summary>
internal sealed class RemoteResponseSink(TransportConnection connection, long correlationId, RequestBase request, SerializerSession session) : IResponseSink
{
    public void Complete(Response response)
    {
        var writer = new Writer { Session = session };
        try
        {
            writer.WriteVarUInt64((ulong)correlationId);
            request.SerializeResponse(writer, response);
        }
        catch (Exception exception)
        {
            // A result that cannot cross the wire becomes an error the caller can see.
            writer.Reset();
            writer.WriteVarUInt64((ulong)correlationId);
            request.SerializeResponse(writer, Response.FromException(new GrainRuntimeException($"The response of {request} could not be serialized: {exception.Message}")));
        }

        connection.TrySend(FrameKind.Response, writer);
    }
}

/// <summary>
/// A call this silo forwards on behalf of another (a gateway relaying a client's call, a silo whose view
/// moved the grain): its response goes back to the original sink.
/// </summary>
internal sealed class ForwardedCall(Message message, IResponseSink original) : IRemoteResponseTarget
{
    public long Id { get; set; }

    public long DeadlineTicks { get; set; }

    public TimeSpan Timeout { get; set; }

    public object? SentOn { get; set; }

    public RequestBase Request => message.Request;

    public void Complete(Response response) => original.Complete(response);

    public void TimedOut() =>
        original.Complete(Response.FromException(new GrainCallTimeoutException($"{message} got no response within {Timeout}.")));
}
