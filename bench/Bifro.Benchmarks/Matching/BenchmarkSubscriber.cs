namespace Bifro.Benchmarks.Matching;

/// <summary>Stands for a connection's delivery target: only its reference identity matters to the tree.</summary>
internal sealed class BenchmarkSubscriber(int id)
{
    public int Id { get; } = id;
}
