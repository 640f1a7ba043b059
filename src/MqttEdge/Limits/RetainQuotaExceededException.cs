namespace Bifro.MqttEdge.Limits;

/// <summary>
/// A retained PUBLISH whose new topic the tenant's MaxRetainedTopics kept out of the store; the message was
/// still delivered. Its acknowledgement says 0x97 (5.0); 3.x cannot say it and acknowledges as usual.
/// </summary>
internal sealed class RetainQuotaExceededException() : Exception("The tenant's MaxRetainedTopics is reached: the message was delivered but not retained.");
