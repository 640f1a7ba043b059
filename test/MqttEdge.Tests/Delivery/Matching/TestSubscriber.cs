namespace Bifro.MqttEdge.Tests.Delivery.Matching;

/// <summary>A subscriber with a name for messages; identity is the reference, as in the broker.</summary>
internal sealed class TestSubscriber(string name)
{
    public string Name { get; } = name;

    public override string ToString() => Name;
}
