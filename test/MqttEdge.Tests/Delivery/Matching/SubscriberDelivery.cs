using Bifro.MqttEdge.Codec;

namespace Bifro.MqttEdge.Tests.Delivery.Matching;

/// <summary>One subscriber's entry of a match result, identifiers sorted.</summary>
internal sealed record SubscriberDelivery(QualityOfService MaximumQoS, bool RetainAsPublished, uint[] Identifiers);
