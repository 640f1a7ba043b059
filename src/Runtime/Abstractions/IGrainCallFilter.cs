using System.Reflection;
using Bifro.Serialization.Invocation;

namespace Bifro.Runtime;

/// <summary>Runs around every call a silo delivers to a grain. Call <c>context.Invoke()</c> to continue.</summary>
public interface IIncomingGrainCallFilter
{
    Task Invoke(IIncomingGrainCallContext context);
}

/// <summary>Runs around every call made through a grain reference in this process.</summary>
public interface IOutgoingGrainCallFilter
{
    Task Invoke(IOutgoingGrainCallContext context);
}

public delegate Task IncomingGrainCallFilterDelegate(IIncomingGrainCallContext context);

public delegate Task OutgoingGrainCallFilterDelegate(IOutgoingGrainCallContext context);

/// <summary>The interface a grain method was called through (Orleans' GrainInterfaceType).</summary>
public readonly record struct GrainInterfaceType(string Value)
{
    public override string ToString() => Value;
}

/// <summary>A call as filters see it (Orleans' IGrainCallContext).</summary>
public interface IGrainCallContext
{
    /// <summary>The call: method, arguments (GetArgument / SetArgument) and target.</summary>
    IInvokable Request { get; }

    /// <summary>The grain being called: the grain object for incoming calls, the reference for outgoing ones.</summary>
    object? Grain { get; }

    /// <summary>The calling grain, when a grain made the call.</summary>
    GrainId? SourceId { get; }

    GrainId TargetId { get; }

    GrainInterfaceType InterfaceType { get; }

    string InterfaceName { get; }

    string MethodName { get; }

    MethodInfo InterfaceMethod { get; }

    /// <summary>The result; setting it replaces the response with a successful one.</summary>
    object? Result { get; set; }

    Response? Response { get; set; }

    /// <summary>Runs the next filter, or the call itself after the last one.</summary>
    Task Invoke();
}

public interface IIncomingGrainCallContext : IGrainCallContext
{
    IGrainContext TargetContext { get; }

    MethodInfo ImplementationMethod { get; }
}

public interface IOutgoingGrainCallContext : IGrainCallContext
{
    IGrainContext? SourceContext { get; }
}

/// <summary>Argument access by position, for filters.</summary>
public static class GrainCallContextExtensions
{
    /// <summary>The call's arguments, copied into a new array.</summary>
    public static object?[] GetArguments(this IGrainCallContext context)
    {
        var count = context.Request.GetArgumentCount();
        var arguments = new object?[count];
        for (var i = 0; i < count; i++)
        {
            arguments[i] = context.Request.GetArgument(i);
        }

        return arguments;
    }
}
