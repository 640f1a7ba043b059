using System.Collections.Immutable;
using Bifro.Serialization;
using Bifro.Serialization.Invocation;

namespace Bifro.Runtime.Messaging;

/// <summary>The wire form of a call's parts: the method by its stable name, its arguments, the request context.</summary>
internal static class MessageSerializer
{
    public static void WriteRequest(Writer writer, RequestBase request)
    {
        writer.WriteString(request.WireName);
        var start = writer.BeginObject();
        request.SerializeArguments(writer);
        writer.EndObject(start);
    }

    public static RequestBase ReadRequest(ref Reader reader)
    {
        var request = InvokableRegistry.Create(reader.ReadString());
        var arguments = reader.ReadObjectScope();
        request.DeserializeArguments(ref arguments);
        return request;
    }

    public static void WriteRequestContext(Writer writer, ImmutableDictionary<string, object>? context)
    {
        writer.WriteVarUInt32((uint)(context?.Count ?? 0));
        if (context is null)
        {
            return;
        }

        foreach (var (key, value) in context)
        {
            writer.WriteString(key);
            Codec<object>.Instance.Write(writer, value);
        }
    }

    public static ImmutableDictionary<string, object>? ReadRequestContext(ref Reader reader)
    {
        var count = reader.ReadVarUInt32();
        if (count == 0)
        {
            return null;
        }

        var builder = ImmutableDictionary.CreateBuilder<string, object>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadString();
            builder[key] = Codec<object>.Instance.Read(ref reader);
        }

        return builder.ToImmutable();
    }
}
