using System.Net;
using System.Reflection;
using System.Runtime.Serialization;
using Bifro.Runtime.Tests.Grains;
using Bifro.Serialization;
using Xunit;

namespace Bifro.Runtime.Tests.Serialization;

public sealed class CodecTests
{
    public static TheoryData<object> Primitives => new()
    {
        true, false,
        (byte)0, byte.MaxValue,
        sbyte.MinValue, sbyte.MaxValue,
        short.MinValue, short.MaxValue,
        ushort.MaxValue,
        int.MinValue, -1, 0, int.MaxValue,
        uint.MaxValue,
        long.MinValue, long.MaxValue,
        ulong.MaxValue,
        'a', 'é', '\uffff',
        float.MinValue, float.Epsilon, float.NaN, float.PositiveInfinity,
        double.MinValue, double.Epsilon, double.NegativeInfinity, 0.1,
        decimal.MinValue, decimal.MaxValue, 0.0001m, -12.345m,
        string.Empty, "héllo ✓ 😀",
        Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
        TimeSpan.FromTicks(-123456789), TimeSpan.MaxValue,
        GrainType.Create("counter"),
        GrainId.Create("session", "tenant/client"),
        SiloAddress.FromParsableString("10.0.0.1:11111@42"),
        IPEndPoint.Parse("[2001:db8::1]:8883"),
        StreamId.Create("events", "tenant-a"),
    };

    [Theory]
    [MemberData(nameof(Primitives))]
    public void RoundTrip_Primitive_ReturnsEqualValue(object value)
    {
        Assert.Equal(value, RoundTripAs(value.GetType(), value));
    }

    [Fact]
    public void RoundTrip_Bytes_ReturnsEqualBytes()
    {
        Assert.Equal(new byte[] { 0, 1, 255 }, RoundTrip(new byte[] { 0, 1, 255 }));
        Assert.Empty(RoundTrip(Array.Empty<byte>()));
        Assert.Equal(new byte[] { 7, 8 }, RoundTrip(new ReadOnlyMemory<byte>([7, 8])).ToArray());
        Assert.Equal(new byte[] { 9 }, RoundTrip(new Memory<byte>([9])).ToArray());
    }

    [Theory]
    [InlineData(DateTimeKind.Utc)]
    [InlineData(DateTimeKind.Local)]
    [InlineData(DateTimeKind.Unspecified)]
    public void RoundTrip_DateTime_KeepsTicksAndKind(DateTimeKind kind)
    {
        var value = new DateTime(2025, 2, 3, 4, 5, 6, kind).AddTicks(7);

        var result = RoundTrip(value);

        Assert.Equal(value.Ticks, result.Ticks);
        Assert.Equal(kind, result.Kind);
    }

    [Fact]
    public void RoundTrip_DateTimeOffset_KeepsTicksAndOffset()
    {
        var value = new DateTimeOffset(2025, 2, 3, 4, 5, 6, TimeSpan.FromMinutes(330)).AddTicks(9);

        var result = RoundTrip(value);

        Assert.Equal(value.Ticks, result.Ticks);
        Assert.Equal(value.Offset, result.Offset);
    }

    [Fact]
    public void RoundTrip_CancellationToken_BecomesNone()
    {
        using var source = new CancellationTokenSource();

        Assert.Equal(CancellationToken.None, RoundTrip(source.Token));
    }

    [Fact]
    public void RoundTrip_Collections_KeepElementsAndOrder()
    {
        Assert.Equal([3, 1, 2], RoundTrip(new List<int> { 3, 1, 2 }));
        Assert.Equal(new List<string?> { "a", null, "c" }, RoundTrip(new[] { "a", null, "c" }).ToList());
        Assert.Empty(RoundTrip(new List<string>()));
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 }, RoundTrip(new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 }));
        Assert.Equal(new HashSet<string> { "x", "y" }, RoundTrip(new HashSet<string> { "x", "y" }));
        Assert.Equal(new KeyValuePair<string, long>("k", 5), RoundTrip(new KeyValuePair<string, long>("k", 5)));
        Assert.Equal((7, "seven"), RoundTrip((7, "seven")));
        Assert.Equal(["r"], RoundTrip<IReadOnlyList<string>>(["r"]));
        Assert.Equal(new Dictionary<string, long> { ["z"] = -1 }, RoundTrip<IReadOnlyDictionary<string, long>>(new Dictionary<string, long> { ["z"] = -1 }));
    }

    [Fact]
    public void RoundTrip_NestedCollections_KeepStructure()
    {
        var value = new List<Dictionary<string, List<int>>>
        {
            new() { ["a"] = [1, 2], ["b"] = [] },
            new(),
        };

        var result = RoundTrip(value);

        Assert.Equal(2, result.Count);
        Assert.Equal([1, 2], result[0]["a"]);
        Assert.Empty(result[0]["b"]);
        Assert.Empty(result[1]);
        Assert.Equal([[1], [2, 3]], RoundTrip(new int[][] { [1], [2, 3] }));
    }

    [Fact]
    public void RoundTrip_Nullable_KeepsValueAndNull()
    {
        Assert.Equal(5, RoundTrip<int?>(5));
        Assert.Null(RoundTrip<int?>(null));
        Assert.Equal([1, null, 3], RoundTrip(new List<int?> { 1, null, 3 }));
        Assert.Null(RoundTrip(new InitOnlyClass { Maybe = null }).Maybe);
        Assert.Equal(0, RoundTrip(new InitOnlyClass { Maybe = 0 }).Maybe);
    }

    [Fact]
    public void RoundTrip_Enums_KeepValuesOfEveryUnderlyingType()
    {
        Assert.Equal(Color.Green, RoundTrip(Color.Green));
        Assert.Equal((Color)99, RoundTrip((Color)99));
        Assert.Equal(Tiny.Max, RoundTrip(Tiny.Max));
        Assert.Equal(Wide.Negative, RoundTrip(Wide.Negative));
        Assert.Equal(Wide.Positive, RoundTrip(Wide.Positive));
        Assert.Equal(Permissions.Read | Permissions.Delete, RoundTrip(Permissions.Read | Permissions.Delete));
    }

    [Fact]
    public void RoundTrip_PositionalRecords_KeepEveryMember()
    {
        Assert.Equal(new PositionalRecord("n", 3, Color.Red), RoundTrip(new PositionalRecord("n", 3, Color.Red)));
        Assert.Equal(new PointStruct(-1, 2), RoundTrip(new PointStruct(-1, 2)));

        var parameters = RoundTrip(new ParameterIdRecord("p", [4, 5]));
        Assert.Equal("p", parameters.Name);
        Assert.Equal([4, 5], parameters.Values);
    }

    [Fact]
    public void RoundTrip_InitOnlyProperties_AreSet()
    {
        var value = new InitOnlyClass { Name = "init", Maybe = 3, When = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.FromHours(2)), Tiny = Tiny.Max };

        var result = RoundTrip(value);

        Assert.Equal("init", result.Name);
        Assert.Equal(3, result.Maybe);
        Assert.Equal(value.When, result.When);
        Assert.Equal(Tiny.Max, result.Tiny);
    }

    [Fact]
    public void RoundTrip_DerivedDeclaredAsBase_KeepsRuntimeTypeAndAllFields()
    {
        var circle = Assert.IsType<Circle>(RoundTrip<Shape>(new Circle { Label = "c", Radius = 1.5 }));
        Assert.Equal("c", circle.Label);
        Assert.Equal(1.5, circle.Radius);

        var colored = Assert.IsType<ColoredSquare>(RoundTrip<Square>(new ColoredSquare { Label = "s", Side = 2, Color = Color.Green }));
        Assert.Equal(("s", 2, Color.Green), (colored.Label, colored.Side, colored.Color));

        var shapes = RoundTrip(new List<Shape> { new Circle { Radius = 1 }, new Square { Side = 3 }, new ColoredSquare { Side = 4 } });
        Assert.Equal([typeof(Circle), typeof(Square), typeof(ColoredSquare)], shapes.Select(s => s.GetType()));
    }

    [Fact]
    public void RoundTrip_ValuesDeclaredAsObject_KeepRuntimeTypes()
    {
        Assert.Equal(42, RoundTrip<object>(42));
        Assert.Equal("text", RoundTrip<object>("text"));
        Assert.Equal(Color.Red, RoundTrip<object>(Color.Red));
        Assert.Equal(new PositionalRecord("o", 1, Color.Green), RoundTrip<object>(new PositionalRecord("o", 1, Color.Green)));

        var envelope = RoundTrip(new Envelope
        {
            Payload = new Circle { Radius = 2 },
            Shape = new Square { Side = 1 },
            Shapes = [new Circle()],
            Nested = new Dictionary<string, List<int>> { ["n"] = [1] },
        });
        Assert.Equal(2, Assert.IsType<Circle>(envelope.Payload).Radius);
        Assert.IsType<Square>(envelope.Shape);
        Assert.IsType<Circle>(Assert.Single(envelope.Shapes));
        Assert.Equal([1], envelope.Nested!["n"]);
    }

    [Fact]
    public void Deserialize_NewerWriterWithExtraFields_OlderReaderSkipsThem()
    {
        var newer = new ContractV2
        {
            Name = "v2",
            Extra = 5,
            More = ["a", "b"],
            Nested = new InitOnlyClass { Name = "inner" },
            Ratio = 0.5,
            Trailing = 9,
            Small = 1.5f,
        };

        var older = Serializer.Deserialize<ContractV1>(Serializer.Serialize(newer));

        Assert.Equal("v2", older.Name);
        Assert.Equal(9, older.Trailing);
    }

    [Fact]
    public void Deserialize_OlderWriterWithoutNewFields_NewerReaderUsesDefaults()
    {
        var newer = Serializer.Deserialize<ContractV2>(Serializer.Serialize(new ContractV1 { Name = "v1", Trailing = 3 }));

        Assert.Equal(("v1", 3, 0), (newer.Name, newer.Trailing, newer.Extra));
        Assert.Null(newer.Nested);
    }

    public static TheoryData<string, byte[]> Payloads => new()
    {
        { "int", Serializer.Serialize(int.MaxValue) },
        { "string", Serializer.Serialize("hello") },
        { "list", Serializer.Serialize(new List<string> { "a", "bc" }) },
        { "dictionary", Serializer.Serialize(new Dictionary<int, string> { [1] = "x" }) },
        { "record", Serializer.Serialize(new PositionalRecord("r", 300, Color.Green)) },
        { "derived", Serializer.Serialize<Shape>(new ColoredSquare { Label = "l", Side = 2 }) },
        { "object", Serializer.Serialize<object>(new Circle { Radius = 1 }) },
        { "guid", Serializer.Serialize(Guid.NewGuid()) },
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public void Deserialize_TruncatedInput_ThrowsSerializationException(string kind, byte[] payload)
    {
        var type = kind switch
        {
            "int" => typeof(int),
            "string" => typeof(string),
            "list" => typeof(List<string>),
            "dictionary" => typeof(Dictionary<int, string>),
            "record" => typeof(PositionalRecord),
            "derived" => typeof(Shape),
            "object" => typeof(object),
            _ => typeof(Guid),
        };

        for (var length = 1; length < payload.Length; length++)
        {
            var prefix = payload[..length];
            var exception = Record.Exception(() => DeserializeAs(type, prefix));
            Assert.True(exception is SerializationException, $"{kind}: a {length}-byte prefix of {payload.Length} gave {exception?.GetType().Name ?? "no exception"}");
        }
    }

    [Fact]
    public void Deserialize_CollectionCountLargerThanInput_ThrowsSerializationException()
    {
        // Field 0 as an object: a four-byte length, then a count claiming a million elements.
        byte[] corrupt = [0x03, 0x04, 0x00, 0x00, 0x00, 0xC0, 0x84, 0x3D, 0x00];

        Assert.Throws<SerializationException>(() => Serializer.Deserialize<List<int>>(corrupt));
    }

    [Fact]
    public void Serialize_TypeWithoutCodec_ThrowsSerializationException()
    {
        Assert.Throws<SerializationException>(() => Serializer.Serialize(new Uri("http://example.invalid")));
        Assert.Throws<SerializationException>(() => Serializer.Serialize<object>(new Uri("http://example.invalid")));
    }

    private static T RoundTrip<T>(T value) => Serializer.Deserialize<T>(Serializer.Serialize(value));

    private static object? RoundTripAs(Type type, object value) =>
        typeof(CodecTests).GetMethod(nameof(RoundTrip), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type).Invoke(null, [value]);

    private static object? DeserializeAs(Type type, byte[] data)
    {
        try
        {
            return typeof(CodecTests).GetMethod(nameof(Deserialize), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type).Invoke(null, [data]);
        }
        catch (TargetInvocationException exception)
        {
            throw exception.InnerException!;
        }
    }

    private static T Deserialize<T>(byte[] data) => Serializer.Deserialize<T>(data);
}
