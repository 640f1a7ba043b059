using Bifro.Runtime;

namespace Bifro.Grains.DenyList;

/// <summary>A deny list's stored bans.</summary>
[GenerateSerializer]
internal sealed class DenyListState
{
    [Id(0)]
    public List<BanEntry> Bans { get; set; } = new();
}
