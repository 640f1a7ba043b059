using System.Collections.Concurrent;

namespace Bifro.MqttEdge.Delivery.Matching;

internal sealed partial class TopicTree<TSubscriber>
{
    /// <summary>
    /// Children of a node with many of them (a "devices/{id}" level). Keyed by string because filters arrive
    /// as strings; topics are looked up as <see cref="ReadOnlySpan{T}"/> of char through the alternate lookup,
    /// so a publish allocates no key. Concurrency level 1: writes are serialized by the tree's lock anyway, and
    /// the default (one lock per core) would cost a lock array per node.
    /// </summary>
    internal sealed class ChildTable
    {
        public ChildTable()
        {
            Map = new ConcurrentDictionary<string, Node>(concurrencyLevel: 1, capacity: 31, StringComparer.Ordinal);
            Lookup = Map.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public ConcurrentDictionary<string, Node> Map { get; }

        public ConcurrentDictionary<string, Node>.AlternateLookup<ReadOnlySpan<char>> Lookup { get; }
    }
}
