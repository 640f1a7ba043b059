namespace Bifro.Runtime.Tests.Grains;

public enum Color
{
    Red = 1,
    Green = 2,
}

public enum Tiny : byte
{
    Zero,
    Max = 255,
}

public enum Wide : long
{
    Negative = long.MinValue,
    Positive = long.MaxValue,
}

[Flags]
public enum Permissions
{
    None = 0,
    Read = 1,
    Write = 2,
    Delete = 4,
}

/// <summary>A record with positional parameters whose properties carry the ids.</summary>
[GenerateSerializer]
public sealed record PositionalRecord([property: Id(0)] string Name, [property: Id(1)] int Count, [property: Id(2)] Color Color);

/// <summary>A record with positional parameters that carry the ids themselves.</summary>
[GenerateSerializer]
public sealed record ParameterIdRecord([Id(0)] string Name, [Id(1)] IReadOnlyList<int> Values);

/// <summary>A positional record struct.</summary>
[GenerateSerializer]
public readonly record struct PointStruct([property: Id(0)] int X, [property: Id(1)] int Y);

/// <summary>A class set through init-only properties.</summary>
[GenerateSerializer]
public sealed class InitOnlyClass
{
    [Id(0)]
    public string Name { get; init; } = "";

    [Id(1)]
    public int? Maybe { get; init; }

    [Id(2)]
    public DateTimeOffset When { get; init; }

    [Id(3)]
    public Tiny Tiny { get; init; }
}

/// <summary>The base of a polymorphic hierarchy; only derived objects exist.</summary>
[GenerateSerializer]
public abstract class Shape
{
    [Id(0)]
    public string Label { get; set; } = "";
}

[GenerateSerializer]
public sealed class Circle : Shape
{
    [Id(1)]
    public double Radius { get; set; }
}

[GenerateSerializer]
public class Square : Shape
{
    [Id(1)]
    public int Side { get; set; }
}

[GenerateSerializer]
public sealed class ColoredSquare : Square
{
    [Id(2)]
    public Color Color { get; set; }
}

/// <summary>Holds values declared as object and as a base type.</summary>
[GenerateSerializer]
public sealed class Envelope
{
    [Id(0)]
    public object? Payload { get; set; }

    [Id(1)]
    public Shape? Shape { get; set; }

    [Id(2)]
    public List<Shape> Shapes { get; set; } = new();

    [Id(3)]
    public Dictionary<string, List<int>>? Nested { get; set; }
}

/// <summary>An older version of a contract...</summary>
[GenerateSerializer]
public sealed class ContractV1
{
    [Id(0)]
    public string Name { get; set; } = "";

    [Id(5)]
    public int Trailing { get; set; }
}

/// <summary>...and its newer version, with fields the older reader does not know.</summary>
[GenerateSerializer]
public sealed class ContractV2
{
    [Id(0)]
    public string Name { get; set; } = "";

    [Id(1)]
    public int Extra { get; set; }

    [Id(2)]
    public List<string> More { get; set; } = new();

    [Id(3)]
    public InitOnlyClass? Nested { get; set; }

    [Id(4)]
    public double Ratio { get; set; }

    [Id(5)]
    public int Trailing { get; set; }

    [Id(6)]
    public float Small { get; set; }
}

/// <summary>State that holds a grain reference, which storage must read back bound to the silo.</summary>
[GenerateSerializer]
public sealed class ReferenceState
{
    [Id(0)]
    public ICounterGrain? Counter { get; set; }

    [Id(1)]
    public string Note { get; set; } = "";
}
