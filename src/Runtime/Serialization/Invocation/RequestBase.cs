using System.Reflection;

namespace Bifro.Serialization.Invocation;

/// <summary>The base of generated invokers: everything but the typed call and the arguments.</summary>
public abstract class RequestBase : IInvokable
{
    private object? _target;

    /// <summary>The method's stable name on the wire: "Namespace.IInterface.Method(ParamType,...)".</summary>
    public abstract string WireName { get; }

    public virtual InvokeMethodOptions Options => InvokeMethodOptions.None;

    /// <summary>From [ResponseTimeout]; null means the silo's default.</summary>
    public virtual TimeSpan? ResponseTimeout => null;

    public bool IsOneWay => (Options & InvokeMethodOptions.OneWay) != 0;

    public object? GetTarget() => _target;

    public void SetTarget(object target) => _target = target;

    public abstract ValueTask<Response> Invoke();

    public abstract int GetArgumentCount();

    public abstract object? GetArgument(int index);

    public abstract void SetArgument(int index, object? value);

    public abstract string GetMethodName();

    public abstract string GetInterfaceName();

    public abstract Type GetInterfaceType();

    public abstract MethodInfo GetMethod();

    public abstract void SerializeArguments(Writer writer);

    public abstract void DeserializeArguments(ref Reader reader);

    /// <summary>Writes a response of this method (its result type is known here, not at the transport).</summary>
    public abstract void SerializeResponse(Writer writer, Response response);

    /// <summary>Reads a response of this method.</summary>
    public abstract Response DeserializeResponse(ref Reader reader);

    public override string ToString() => $"{GetInterfaceName()}.{GetMethodName()}";

    /// <summary>Resolves the interface method once per invoker type, for filters that ask for it.</summary>
    protected static MethodInfo ResolveMethod(Type interfaceType, string name, Type[] parameterTypes) =>
        interfaceType.GetMethod(name, parameterTypes)
        ?? throw new MissingMethodException(interfaceType.FullName, name);

    /// <summary>A failure response any request type can read, for a call whose request could not even be read.</summary>
    public static void SerializeFailure(Writer writer, Exception exception) => SerializeResponseCore<object?>(writer, Response.FromException(exception));

    /// <summary>Response layout: field 0 = status (0 ok, 1 exception), field 1 = exception, field 2 = result.</summary>
    protected static void SerializeResponseCore<T>(Writer writer, Response response)
    {
        if (response.Exception is { } exception)
        {
            writer.WriteField(0, 1u);
            writer.WriteField(1, exception);
        }
        else
        {
            writer.WriteField(0, 0u);
            writer.WriteField(2, response.GetResult<T>());
        }
    }

    protected static Response DeserializeResponseCore<T>(ref Reader reader, bool hasResult)
    {
        uint status = 0;
        Exception? exception = null;
        var result = default(T)!;
        while (reader.TryReadFieldHeader(out var id, out var wireType))
        {
            switch (id)
            {
                case 0:
                    status = reader.ReadFieldValue<uint>(wireType);
                    break;
                case 1:
                    exception = reader.ReadFieldValue<Exception>(wireType);
                    break;
                case 2:
                    result = reader.ReadFieldValue<T>(wireType);
                    break;
                default:
                    reader.SkipField(wireType);
                    break;
            }
        }

        if (status != 0)
        {
            return Response.FromException(exception ?? new Bifro.Runtime.RemoteGrainException("unknown", "The remote call failed."));
        }

        return hasResult ? Response.FromResult(result) : Response.Completed;
    }
}
