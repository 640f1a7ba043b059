namespace Bifro.Serialization;

/// <summary>The codec of <typeparamref name="T"/>, resolved once per type and cached in a static.</summary>
public static class Codec<T>
{
    private static IFieldCodec<T>? s_instance;

    public static IFieldCodec<T> Instance => s_instance ??= CodecRegistry.Resolve<T>();
}
