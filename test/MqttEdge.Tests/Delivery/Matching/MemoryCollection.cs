using Xunit;

namespace Bifro.MqttEdge.Tests.Delivery.Matching;

/// <summary>Memory measurements need the heap to themselves: no other test runs beside them.</summary>
[CollectionDefinition(nameof(MemoryCollection), DisableParallelization = true)]
public sealed class MemoryCollection;
