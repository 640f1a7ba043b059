using System.Runtime.Serialization;
using Bifro.Runtime;
using Bifro.Runtime.Messaging;

namespace Bifro.Serialization.Codecs;

/// <summary>A grain or observer reference: its id and interface, bound on read to the reader's runtime.</summary>
internal sealed class GrainReferenceCodec<T> : IFieldCodec<T>, IUntypedCodec
    where T : class, IAddressable
{
    public string Alias => typeof(T).FullName!;

    public Type Type => typeof(T);

    public WireType WireType => WireType.Object;

    public void Write(Writer writer, T value)
    {
        if (value is not GrainReference reference)
        {
            throw new SerializationException(
                $"Only grain references can be sent, not a {value.GetType()}: pass an observer through IGrainFactory.CreateObjectReference.");
        }

        var start = writer.BeginObject();
        writer.WriteString(reference.GrainId.ToString());
        writer.WriteString(reference.InterfaceType.FullName!);
        writer.EndObject(start);
    }

    public T Read(ref Reader reader)
    {
        var scope = reader.ReadObjectScope();
        var grainId = GrainId.Parse(scope.ReadString());
        var interfaceName = scope.ReadString();
        var runtime = reader.Session?.Runtime
            ?? throw new SerializationException("A grain reference can only be read with a runtime to bind it to.");
        var interfaceType = typeof(T).IsInterface && typeof(T) != typeof(IAddressable)
            ? typeof(T)
            : GrainReferenceRegistry.FindInterface(interfaceName)
              ?? throw new SerializationException($"Unknown grain interface '{interfaceName}'.");
        return (T)(object)GrainReferenceRegistry.Create(interfaceType, runtime, grainId);
    }

    public void WriteUntyped(Writer writer, object value) => Write(writer, (T)value);

    public object? ReadUntyped(ref Reader reader) => Read(ref reader);
}
