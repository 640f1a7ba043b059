namespace Bifro.Runtime.Tests.Grains;

/// <summary>Methods with many kinds of arguments, for the invoker round-trip test.</summary>
public interface IArgumentsGrain : IGrainWithStringKey
{
    Task<string> PrimitivesAsync(bool b, byte u8, sbyte i8, short i16, ushort u16, int i32, uint u32, long i64, ulong u64, char c, float f, double d, decimal m);

    Task<Guid> ValuesAsync(string s, Guid g, DateTime at, DateTimeOffset when, TimeSpan span, byte[] bytes, int? maybe, Color color, Permissions permissions);

    Task<int> CollectionsAsync(List<string> list, int[] array, Dictionary<string, int> map, HashSet<long> set, IReadOnlyList<Dictionary<string, List<int>>> nested);

    Task<PositionalRecord> RecordsAsync(PositionalRecord positional, ParameterIdRecord parameters, PointStruct point, InitOnlyClass init);

    Task<Shape> ShapesAsync(Shape shape, Envelope envelope, object boxed);

    Task ReferencesAsync(ICounterGrain counter, IMessageObserver observer, GrainId id, GrainType type, StreamId stream);

    ValueTask<int> ValueTaskAsync(int value, CancellationToken cancellationToken);
}

public sealed class ArgumentsGrain : Grain, IArgumentsGrain
{
    public Task<string> PrimitivesAsync(bool b, byte u8, sbyte i8, short i16, ushort u16, int i32, uint u32, long i64, ulong u64, char c, float f, double d, decimal m) =>
        Task.FromResult(FormattableString.Invariant($"{b}{u8}{i8}{i16}{u16}{i32}{u32}{i64}{u64}{c}{f}{d}{m}"));

    public Task<Guid> ValuesAsync(string s, Guid g, DateTime at, DateTimeOffset when, TimeSpan span, byte[] bytes, int? maybe, Color color, Permissions permissions) =>
        Task.FromResult(g);

    public Task<int> CollectionsAsync(List<string> list, int[] array, Dictionary<string, int> map, HashSet<long> set, IReadOnlyList<Dictionary<string, List<int>>> nested) =>
        Task.FromResult(list.Count + array.Length + map.Count + set.Count + nested.Count);

    public Task<PositionalRecord> RecordsAsync(PositionalRecord positional, ParameterIdRecord parameters, PointStruct point, InitOnlyClass init) =>
        Task.FromResult(positional);

    public Task<Shape> ShapesAsync(Shape shape, Envelope envelope, object boxed) => Task.FromResult(shape);

    public Task ReferencesAsync(ICounterGrain counter, IMessageObserver observer, GrainId id, GrainType type, StreamId stream) => Task.CompletedTask;

    public ValueTask<int> ValueTaskAsync(int value, CancellationToken cancellationToken) => ValueTask.FromResult(value);
}
