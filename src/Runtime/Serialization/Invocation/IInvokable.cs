using System.Reflection;

namespace Bifro.Serialization.Invocation;

/// <summary>Options of a grain method, from its attributes.</summary>
[Flags]
public enum InvokeMethodOptions
{
    None = 0,
    OneWay = 1,
    AlwaysInterleave = 2,
    ReadOnly = 4,
}

/// <summary>One call: the target, the method and its arguments. Generated per grain method.</summary>
public interface IInvokable
{
    object? GetTarget();

    void SetTarget(object target);

    ValueTask<Response> Invoke();

    int GetArgumentCount();

    object? GetArgument(int index);

    void SetArgument(int index, object? value);

    string GetMethodName();

    string GetInterfaceName();

    Type GetInterfaceType();

    MethodInfo GetMethod();
}
