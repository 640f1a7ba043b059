using System.Reflection;
using System.Runtime.ExceptionServices;
using Bifro.Runtime.Activation;
using Bifro.Runtime.Messaging;
using Bifro.Serialization.Invocation;

namespace Bifro.Runtime.Filters;

/// <summary>
/// The incoming pipeline, staged as in Orleans: silo-wide filters in registration order, then the grain
/// class's own filter if it implements IIncomingGrainCallFilter, then the method. An exception held in
/// the response is rethrown so that outer filters see it.
/// </summary>
internal sealed class IncomingGrainCallContext : IIncomingGrainCallContext
{
    private readonly ActivationData _activation;
    private readonly Message _message;
    private readonly IIncomingGrainCallFilter[] _filters;
    private int _stage;

    public IncomingGrainCallContext(ActivationData activation, Message message, IIncomingGrainCallFilter[] filters)
    {
        _activation = activation;
        _message = message;
        _filters = filters;
    }

    public IInvokable Request => _message.Request;

    public object? Grain => _activation.GrainInstance;

    public GrainId? SourceId => _message.SourceId;

    public GrainId TargetId => _message.TargetId;

    public GrainInterfaceType InterfaceType => new(_message.Request.GetInterfaceName());

    public string InterfaceName => _message.Request.GetInterfaceName();

    public string MethodName => _message.Request.GetMethodName();

    public MethodInfo InterfaceMethod => _message.Request.GetMethod();

    public IGrainContext TargetContext => _activation;

    public MethodInfo ImplementationMethod
    {
        get
        {
            var map = _activation.GrainClass.GrainClass.GetInterfaceMap(InterfaceMethod.DeclaringType!);
            var index = Array.IndexOf(map.InterfaceMethods, InterfaceMethod);
            return index >= 0 ? map.TargetMethods[index] : InterfaceMethod;
        }
    }

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

        if (_stage == _filters.Length && Grain is IIncomingGrainCallFilter grainFilter)
        {
            _stage++;
            await grainFilter.Invoke(this).ConfigureAwait(true);
            return;
        }

        _stage = int.MaxValue;
        Response = await _message.Request.Invoke().ConfigureAwait(true);
        if (Response.Exception is { } exception)
        {
            ExceptionDispatchInfo.Capture(exception).Throw();
        }
    }
}
