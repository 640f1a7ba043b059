namespace Bifro.Serialization;

/// <summary>Whole values to and from bytes (storage payloads, tests).</summary>
public static class Serializer
{
    public static byte[] Serialize<T>(T value, SerializerSession? session = null)
    {
        using var writer = new Writer { Session = session };
        Serialize(writer, value);
        return writer.ToArray();
    }

    /// <summary>Writes <paramref name="value"/> as field 0 of a top-level scope.</summary>
    public static void Serialize<T>(Writer writer, T value) => writer.WriteField(0, value);

    public static T Deserialize<T>(ReadOnlySpan<byte> data, SerializerSession? session = null)
    {
        var reader = new Reader(data, session);
        return Deserialize<T>(ref reader);
    }

    public static T Deserialize<T>(ref Reader reader)
    {
        var result = default(T)!;
        while (reader.TryReadFieldHeader(out var id, out var wireType))
        {
            if (id == 0)
            {
                result = reader.ReadFieldValue<T>(wireType);
            }
            else
            {
                reader.SkipField(wireType);
            }
        }

        return result;
    }
}
