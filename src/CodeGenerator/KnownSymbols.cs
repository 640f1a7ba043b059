using Microsoft.CodeAnalysis;

namespace Bifro.CodeGenerator;

/// <summary>The runtime's types the generator looks for, resolved once per compilation.</summary>
internal sealed class KnownSymbols
{
    private KnownSymbols(Compilation compilation)
    {
        IAddressable = compilation.GetTypeByMetadataName("Bifro.Runtime.IAddressable");
        IGrainObserver = compilation.GetTypeByMetadataName("Bifro.Runtime.IGrainObserver");
        IGrainBase = compilation.GetTypeByMetadataName("Bifro.Runtime.IGrainBase");
        GenerateSerializer = compilation.GetTypeByMetadataName("Bifro.Runtime.GenerateSerializerAttribute");
        Id = compilation.GetTypeByMetadataName("Bifro.Runtime.IdAttribute");
        Alias = compilation.GetTypeByMetadataName("Bifro.Runtime.AliasAttribute");
        OneWay = compilation.GetTypeByMetadataName("Bifro.Runtime.OneWayAttribute");
        AlwaysInterleave = compilation.GetTypeByMetadataName("Bifro.Runtime.AlwaysInterleaveAttribute");
        ReadOnly = compilation.GetTypeByMetadataName("Bifro.Runtime.ReadOnlyAttribute");
        Reentrant = compilation.GetTypeByMetadataName("Bifro.Runtime.ReentrantAttribute");
        ResponseTimeout = compilation.GetTypeByMetadataName("Bifro.Runtime.ResponseTimeoutAttribute");
        GrainTypeAttribute = compilation.GetTypeByMetadataName("Bifro.Runtime.GrainTypeAttribute");
        PersistentState = compilation.GetTypeByMetadataName("Bifro.Runtime.PersistentStateAttribute");
        PersistentCollection = compilation.GetTypeByMetadataName("Bifro.Runtime.PersistentCollectionAttribute");
        ImplicitStreamSubscription = compilation.GetTypeByMetadataName("Bifro.Runtime.ImplicitStreamSubscriptionAttribute");
        StatelessWorker = compilation.GetTypeByMetadataName("Bifro.Runtime.StatelessWorkerAttribute");
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
    }

    public INamedTypeSymbol? IAddressable { get; }
    public INamedTypeSymbol? IGrainObserver { get; }
    public INamedTypeSymbol? IGrainBase { get; }
    public INamedTypeSymbol? GenerateSerializer { get; }
    public INamedTypeSymbol? Id { get; }
    public INamedTypeSymbol? Alias { get; }
    public INamedTypeSymbol? OneWay { get; }
    public INamedTypeSymbol? AlwaysInterleave { get; }
    public INamedTypeSymbol? ReadOnly { get; }
    public INamedTypeSymbol? Reentrant { get; }
    public INamedTypeSymbol? ResponseTimeout { get; }
    public INamedTypeSymbol? GrainTypeAttribute { get; }
    public INamedTypeSymbol? PersistentState { get; }
    public INamedTypeSymbol? PersistentCollection { get; }
    public INamedTypeSymbol? ImplicitStreamSubscription { get; }
    public INamedTypeSymbol? StatelessWorker { get; }
    public INamedTypeSymbol? Task { get; }
    public INamedTypeSymbol? TaskOfT { get; }
    public INamedTypeSymbol? ValueTask { get; }
    public INamedTypeSymbol? ValueTaskOfT { get; }

    public static KnownSymbols? Create(Compilation compilation)
    {
        var symbols = new KnownSymbols(compilation);
        return symbols.IAddressable is null || symbols.GenerateSerializer is null ? null : symbols;
    }

    public static bool Is(ISymbol? candidate, INamedTypeSymbol? expected) =>
        expected is not null && SymbolEqualityComparer.Default.Equals(candidate, expected);

    public bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attribute) => GetAttribute(symbol, attribute) is not null;

    public AttributeData? GetAttribute(ISymbol symbol, INamedTypeSymbol? attribute)
    {
        if (attribute is null)
        {
            return null;
        }

        foreach (var a in symbol.GetAttributes())
        {
            if (Is(a.AttributeClass, attribute))
            {
                return a;
            }
        }

        return null;
    }

    public bool Implements(ITypeSymbol type, INamedTypeSymbol? iface)
    {
        if (iface is null)
        {
            return false;
        }

        if (Is(type, iface))
        {
            return true;
        }

        foreach (var i in type.AllInterfaces)
        {
            if (Is(i, iface))
            {
                return true;
            }
        }

        return false;
    }
}
