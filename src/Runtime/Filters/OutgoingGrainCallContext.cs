using System.Reflection;
using System.Runtime.ExceptionServices;
using Bifro.Runtime.Activation;
using Bifro.Serialization.Invocation;

namespace Bifro.Runtime.Filters;

/// <summary>The outgoing pipeline: filters in registration order, then the send and the wait for the response.</summary>
internal sealed class OutgoingGrainCallContext : IOutgoingGrainCallContext
{
    private readonly GrainReference _target;
    private readonly RequestBase _request;
    private readonly IOutgoingGrainCallFilter[] _filters;
    private readonly Func<GrainReference, RequestBase, Task<Response>> _send;
    private int _stage;

    public OutgoingGrainCallContext(
        GrainReference target,
        RequestBase request,
        IOutgoingGrainCallFilter[] filters,
        ActivationData? source,
        Func<GrainReference, RequestBase, Task<Response>> send)
    {
        _target = target;
        _request = request;
        _filters = filters;
        SourceContext = source;
        _send = send;
    }

    public IInvokable Request => _request;

    public object? Grain => _target;

    public GrainId? SourceId => SourceContext?.GrainId;

    public GrainId TargetId => _target.GrainId;

    public GrainInterfaceType InterfaceType => new(_request.GetInterfaceName());

    public string InterfaceName => _request.GetInterfaceName();

    public string MethodName => _request.GetMethodName();

    public MethodInfo InterfaceMethod => _request.GetMethod();

    public IGrainContext? SourceContext { get; }

    public Response? Response { get; set; }

    public object? Result
    {
        get => Response?.Result;
        set => Response = Serialization.Invocation.Response.FromResult(value);
    }

    public async Task Invoke()
    {
        if (_stage < _filters.Length)
        {
            await _filters[_stage++].Invoke(this).ConfigureAwait(true);
            return;
        }

        _stage = int.MaxValue;
        Response = await _send(_target, _request).ConfigureAwait(true);
        if (Response.Exception is { } exception)
        {
            ExceptionDispatchInfo.Capture(exception).Throw();
        }
    }
}
