using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.Serialization;
using Bifro.Runtime;
using Bifro.Serialization.Codecs;

namespace Bifro.Serialization;

/// <summary>
/// Every codec, by type and by alias. Generated codecs register from their assembly's module
/// initializer; built-in and generic ones (collections, enums, nullables, exceptions, grain references)
/// are made here on first use of a type. Each type is resolved once; <see cref="Codec{T}"/> caches it.
/// </summary>
public static class CodecRegistry
{
    private static readonly ConcurrentDictionary<Type, object> s_byType = new();
    private static readonly ConcurrentDictionary<string, IUntypedCodec> s_byAlias = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<Type, IUntypedCodec> s_untypedByType = new();

    static CodecRegistry()
    {
        PrimitiveCodecs.RegisterAll();
    }

    public static void Register<T>(IFieldCodec<T> codec)
    {
        s_byType[typeof(T)] = codec;
        if (codec is IUntypedCodec untyped)
        {
            s_byAlias[untyped.Alias] = untyped;
            s_untypedByType[typeof(T)] = untyped;
        }
    }

    /// <summary>The codec of a runtime type, for values declared as a base type or as object.</summary>
    public static IUntypedCodec GetUntyped(Type type)
    {
        if (s_untypedByType.TryGetValue(type, out var codec))
        {
            return codec;
        }

        // Resolving through Codec<T> registers generic and built-in codecs on the way.
        object? resolved;
        try
        {
            resolved = typeof(Codec<>).MakeGenericType(type).GetProperty(nameof(Codec<int>.Instance))!.GetValue(null);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is { } inner)
        {
            // Callers expect the resolver's own SerializationException, not reflection's wrapper.
            ExceptionDispatchInfo.Capture(inner).Throw();
            throw;
        }

        if (resolved is IUntypedCodec untyped)
        {
            s_untypedByType[type] = untyped;
            return untyped;
        }

        throw new SerializationException($"Type {type} cannot be written where its declared type is a base type or object.");
    }

    public static IUntypedCodec GetUntyped(string alias)
    {
        if (s_byAlias.TryGetValue(alias, out var codec))
        {
            return codec;
        }

        throw new SerializationException($"No type is registered with the alias '{alias}'. Is the assembly that declares it loaded?");
    }

    internal static IObjectFieldsCodec GetFieldsCodec(Type type) =>
        GetUntyped(type) as IObjectFieldsCodec
        ?? throw new SerializationException($"Type {type} is not a [GenerateSerializer] type and cannot stand in for its base type.");

    internal static IObjectFieldsCodec GetFieldsCodec(string alias) =>
        GetUntyped(alias) as IObjectFieldsCodec
        ?? throw new SerializationException($"Alias '{alias}' does not name a [GenerateSerializer] type.");

    internal static IFieldCodec<T> Resolve<T>()
    {
        var type = typeof(T);
        if (s_byType.TryGetValue(type, out var found))
        {
            return (IFieldCodec<T>)found;
        }

        // The type's generated codec registers when its module initializes.
        RuntimeHelpers.RunModuleConstructor(type.Module.ModuleHandle);
        if (s_byType.TryGetValue(type, out found))
        {
            return (IFieldCodec<T>)found;
        }

        var made = (IFieldCodec<T>?)Construct(type) ?? throw new SerializationException(
            $"No codec for {type}. Mark it [GenerateSerializer] and give its members [Id] attributes.");
        Register(made);
        return made;
    }

    private static object? Construct(Type type)
    {
        if (type.IsEnum)
        {
            return Make(typeof(EnumCodec<>), type);
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Make(typeof(NullableCodec<>), underlying);
        }

        if (type.IsArray && type.GetArrayRank() == 1)
        {
            return Make(typeof(ArrayCodec<>), type.GetElementType()!);
        }

        if (typeof(Exception).IsAssignableFrom(type))
        {
            return Make(typeof(ExceptionCodec<>), type);
        }

        if (typeof(IAddressable).IsAssignableFrom(type))
        {
            return Make(typeof(GrainReferenceCodec<>), type);
        }

        if (type == typeof(object))
        {
            return new ObjectCodec();
        }

        if (!type.IsGenericType)
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        var args = type.GetGenericArguments();
        if (definition == typeof(List<>) || definition == typeof(IList<>) || definition == typeof(IReadOnlyList<>)
            || definition == typeof(ICollection<>) || definition == typeof(IReadOnlyCollection<>) || definition == typeof(IEnumerable<>))
        {
            return Make(typeof(ListCodec<,>), type, args[0]);
        }

        if (definition == typeof(HashSet<>) || definition == typeof(ISet<>) || definition == typeof(IReadOnlySet<>))
        {
            return Make(typeof(HashSetCodec<,>), type, args[0]);
        }

        if (definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>))
        {
            return Make(typeof(DictionaryCodec<,,>), type, args[0], args[1]);
        }

        if (definition == typeof(KeyValuePair<,>))
        {
            return Make(typeof(KeyValuePairCodec<,>), args[0], args[1]);
        }

        if (definition == typeof(ValueTuple<,>))
        {
            return Make(typeof(ValueTupleCodec<,>), args[0], args[1]);
        }

        return null;
    }

    private static object Make(Type definition, params Type[] args) =>
        Activator.CreateInstance(definition.MakeGenericType(args))!;
}
