namespace Bifro.Serialization.Codecs;

/// <summary>
/// Element encoding shared by the collection codecs: a presence byte when the element type can be
/// null, then the element through its own codec (its wire type is implied by the type).
/// </summary>
internal static class Elements
{
    public static void Write<T>(Writer writer, T value)
    {
        if (!typeof(T).IsValueType || Nullable.GetUnderlyingType(typeof(T)) is not null)
        {
            if (value is null)
            {
                writer.WriteByte(0);
                return;
            }

            writer.WriteByte(1);
        }

        Codec<T>.Instance.Write(writer, value);
    }

    public static T Read<T>(ref Reader reader)
    {
        if ((!typeof(T).IsValueType || Nullable.GetUnderlyingType(typeof(T)) is not null) && reader.ReadByte() == 0)
        {
            return default!;
        }

        return Codec<T>.Instance.Read(ref reader);
    }

    public static int ReadCount(ref Reader reader)
    {
        var count = (int)reader.ReadVarUInt32();
        if (count < 0 || count > reader.Remaining)
        {
            // Every element takes at least one byte, so a larger count is corrupt input.
            throw new System.Runtime.Serialization.SerializationException("Invalid serialized data: collection count exceeds input.");
        }

        return count;
    }
}

internal sealed class ArrayCodec<T> : IFieldCodec<T[]>
{
    public WireType WireType => WireType.Object;

    public void Write(Writer writer, T[] value)
    {
        var start = writer.BeginObject();
        writer.WriteVarUInt32((uint)value.Length);
        foreach (var item in value)
        {
            Elements.Write(writer, item);
        }

        writer.EndObject(start);
    }

    public T[] Read(ref Reader reader)
    {
        var scope = reader.ReadObjectScope();
        var result = new T[Elements.ReadCount(ref scope)];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = Elements.Read<T>(ref scope);
        }

        return result;
    }
}

/// <summary>Lists and list-like interfaces; read back as <see cref="List{T}"/>.</summary>
internal sealed class ListCodec<TCollection, T> : IFieldCodec<TCollection>
    where TCollection : IEnumerable<T>
{
    public WireType WireType => WireType.Object;

    public void Write(Writer writer, TCollection value)
    {
        var start = writer.BeginObject();
        if (value is IReadOnlyCollection<T> sized)
        {
            writer.WriteVarUInt32((uint)sized.Count);
            foreach (var item in value)
            {
                Elements.Write(writer, item);
            }
        }
        else
        {
            var list = new List<T>(value);
            writer.WriteVarUInt32((uint)list.Count);
            foreach (var item in list)
            {
                Elements.Write(writer, item);
            }
        }

        writer.EndObject(start);
    }

    public TCollection Read(ref Reader reader)
    {
        var scope = reader.ReadObjectScope();
        var count = Elements.ReadCount(ref scope);
        var list = new List<T>(count);
        for (var i = 0; i < count; i++)
        {
            list.Add(Elements.Read<T>(ref scope));
        }

        return (TCollection)(object)list;
    }
}

internal sealed class HashSetCodec<TCollection, T> : IFieldCodec<TCollection>
    where TCollection : IEnumerable<T>
{
    public WireType WireType => WireType.Object;

    public void Write(Writer writer, TCollection value)
    {
        var start = writer.BeginObject();
        var items = new List<T>(value);
        writer.WriteVarUInt32((uint)items.Count);
        foreach (var item in items)
        {
            Elements.Write(writer, item);
        }

        writer.EndObject(start);
    }

    public TCollection Read(ref Reader reader)
    {
        var scope = reader.ReadObjectScope();
        var count = Elements.ReadCount(ref scope);
        var set = new HashSet<T>(count);
        for (var i = 0; i < count; i++)
        {
            set.Add(Elements.Read<T>(ref scope));
        }

        return (TCollection)(object)set;
    }
}

/// <summary>Dictionaries; read back as <see cref="Dictionary{TKey, TValue}"/> with the default comparer.</summary>
internal sealed class DictionaryCodec<TDictionary, TKey, TValue> : IFieldCodec<TDictionary>
    where TDictionary : IEnumerable<KeyValuePair<TKey, TValue>>
    where TKey : notnull
{
    public WireType WireType => WireType.Object;

    public void Write(Writer writer, TDictionary value)
    {
        var start = writer.BeginObject();
        var count = value is IReadOnlyCollection<KeyValuePair<TKey, TValue>> sized ? sized.Count : new List<KeyValuePair<TKey, TValue>>(value).Count;
        writer.WriteVarUInt32((uint)count);
        foreach (var pair in value)
        {
            Elements.Write(writer, pair.Key);
            Elements.Write(writer, pair.Value);
        }

        writer.EndObject(start);
    }

    public TDictionary Read(ref Reader reader)
    {
        var scope = reader.ReadObjectScope();
        var count = Elements.ReadCount(ref scope);
        var dictionary = new Dictionary<TKey, TValue>(count);
        for (var i = 0; i < count; i++)
        {
            var key = Elements.Read<TKey>(ref scope);
            dictionary[key] = Elements.Read<TValue>(ref scope);
        }

        return (TDictionary)(object)dictionary;
    }
}

internal sealed class KeyValuePairCodec<TKey, TValue> : IFieldCodec<KeyValuePair<TKey, TValue>>
{
    public WireType WireType => WireType.Object;

    public void Write(Writer writer, KeyValuePair<TKey, TValue> value)
    {
        var start = writer.BeginObject();
        Elements.Write(writer, value.Key);
        Elements.Write(writer, value.Value);
        writer.EndObject(start);
    }

    public KeyValuePair<TKey, TValue> Read(ref Reader reader)
    {
        var scope = reader.ReadObjectScope();
        var key = Elements.Read<TKey>(ref scope);
        return new KeyValuePair<TKey, TValue>(key, Elements.Read<TValue>(ref scope));
    }
}

internal sealed class ValueTupleCodec<T1, T2> : IFieldCodec<ValueTuple<T1, T2>>
{
    public WireType WireType => WireType.Object;

    public void Write(Writer writer, (T1, T2) value)
    {
        var start = writer.BeginObject();
        Elements.Write(writer, value.Item1);
        Elements.Write(writer, value.Item2);
        writer.EndObject(start);
    }

    public (T1, T2) Read(ref Reader reader)
    {
        var scope = reader.ReadObjectScope();
        var first = Elements.Read<T1>(ref scope);
        return (first, Elements.Read<T2>(ref scope));
    }
}
