namespace Bifro.Runtime;

/// <summary>Key and identity helpers on references and grains, as in Orleans.</summary>
public static class GrainExtensions
{
    public static GrainId GetGrainId(this IAddressable grain) => grain switch
    {
        GrainReference reference => reference.GrainId,
        IGrainBase grainBase => grainBase.GrainContext.GrainId,
        _ => throw new ArgumentException($"{grain.GetType()} is neither a grain nor a grain reference.", nameof(grain)),
    };

    public static string GetPrimaryKeyString(this IAddressable grain) => grain.GetGrainId().Key;

    public static string GetPrimaryKeyString(this IGrainBase grain) => grain.GrainContext.GrainId.Key;

    /// <summary>
    /// The key of a grain, from its own code (<c>this.GetPrimaryKeyString()</c>). A grain class is both an
    /// <see cref="IGrainBase"/> and, through its grain interface, an <see cref="IAddressable"/>; without
    /// this overload that call would be ambiguous.
    /// </summary>
    public static string GetPrimaryKeyString(this Grain grain) => grain.GrainContext.GrainId.Key;

    /// <summary>A reference to <paramref name="grain"/> as another of its interfaces.</summary>
    public static TGrainInterface AsReference<TGrainInterface>(this IAddressable grain)
        where TGrainInterface : IAddressable
    {
        var reference = grain as GrainReference
            ?? (grain as IGrainBase)?.GrainContext.GrainReference
            ?? throw new ArgumentException("Not a grain or grain reference.", nameof(grain));
        return (TGrainInterface)(object)Messaging.GrainReferenceRegistry.Create(typeof(TGrainInterface), reference.Runtime, reference.GrainId);
    }

    public static TGrainInterface Cast<TGrainInterface>(this IAddressable grain)
        where TGrainInterface : IAddressable => grain.AsReference<TGrainInterface>();
}
