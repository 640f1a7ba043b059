using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Bifro.Runtime;

namespace Bifro.Serialization.Codecs;

/// <summary>
/// Exceptions cross calls keeping their type: the type's name, message and stack trace are written,
/// and the reader builds the same type through its (string message) constructor, with the remote stack
/// trace attached. A type the reader cannot load or build becomes a <see cref="RemoteGrainException"/>
/// that names it. Reflection here runs only when a call fails.
/// </summary>
internal sealed class ExceptionCodec<T> : IFieldCodec<T>, IUntypedCodec
    where T : Exception
{
    private static readonly ConcurrentDictionary<string, Type?> s_types = new(StringComparer.Ordinal);

    public string Alias => typeof(T).FullName!;

    public Type Type => typeof(T);

    public WireType WireType => WireType.Object;

    public void Write(Writer writer, T value)
    {
        var start = writer.BeginObject();
        var type = value.GetType();
        writer.WriteString($"{type.FullName}, {type.Assembly.GetName().Name}");
        writer.WriteString(value.Message);
        writer.WriteString(value.StackTrace ?? string.Empty);
        writer.EndObject(start);
    }

    public T Read(ref Reader reader)
    {
        var scope = reader.ReadObjectScope();
        var typeName = scope.ReadString();
        var message = scope.ReadString();
        var stackTrace = scope.ReadString();
        var exception = Create(typeName, message);
        if (stackTrace.Length > 0)
        {
            ExceptionDispatchInfo.SetRemoteStackTrace(exception, stackTrace);
        }

        return exception as T ?? (T)(Exception)new RemoteGrainException(typeName, message);
    }

    public void WriteUntyped(Writer writer, object value) => Write(writer, (T)value);

    public object? ReadUntyped(ref Reader reader) => Read(ref reader);

    private static Exception Create(string typeName, string message)
    {
        var type = s_types.GetOrAdd(typeName, static name => System.Type.GetType(name, throwOnError: false));
        if (type is not null && typeof(Exception).IsAssignableFrom(type))
        {
            try
            {
                if (type.GetConstructor([typeof(string)]) is { } withMessage)
                {
                    return (Exception)withMessage.Invoke([message]);
                }
            }
            catch (System.Reflection.TargetInvocationException)
            {
                // Some exception types validate their message; fall back to naming the type.
            }
        }

        return new RemoteGrainException(typeName, message);
    }
}
