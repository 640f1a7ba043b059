using System.Collections.Immutable;
using Bifro.Runtime.Activation;
using Bifro.Serialization.Invocation;

namespace Bifro.Runtime.Messaging;

/// <summary>
/// One grain call in flight. In-process it carries the invoker object itself; between processes the
/// same fields are written by the message serializer, so nothing about a call assumes a shared heap.
/// </summary>
internal sealed class Message : IActivationWorkItem
{
    public Message(GrainId targetId, RequestBase request)
    {
        TargetId = targetId;
        Request = request;
    }

    public GrainId TargetId { get; }

    public RequestBase Request { get; set; }

    /// <summary>The calling grain, if a grain made the call.</summary>
    public GrainId? SourceId { get; set; }

    /// <summary>The silo the call came from; null for calls made in this process.</summary>
    public SiloAddress? SourceSilo { get; set; }

    /// <summary>Correlates a response with its request across processes.</summary>
    public long CorrelationId { get; set; }

    public ImmutableDictionary<string, object>? RequestContext { get; set; }

    /// <summary>Where the response goes; null for one-way calls.</summary>
    public IResponseSink? ResponseSink { get; set; }

    /// <summary>How many times the call was forwarded (a deactivating target, a moved grain); bounds loops.</summary>
    public int ForwardCount { get; set; }

    public bool Interleaves => (Request.Options & InvokeMethodOptions.AlwaysInterleave) != 0;

    public bool IsReadOnly => (Request.Options & InvokeMethodOptions.ReadOnly) != 0;

    public bool KeepsAlive => true;

    public Task RunAsync(ActivationData activation) => activation.RunRequestAsync(this);

    public void Fail(Exception exception) => ResponseSink?.Complete(Response.FromException(exception));

    public override string ToString() => $"{Request} to {TargetId}";
}

/// <summary>Receives the response of one call.</summary>
internal interface IResponseSink
{
    void Complete(Response response);
}
