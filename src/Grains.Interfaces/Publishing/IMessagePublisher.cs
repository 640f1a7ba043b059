namespace Bifro.Grains;

/// <summary>
/// Publishes a message as if a client had: matching, delivery, retained storage. Grains use it for
/// wills; the edge of the node implements it.
/// </summary>
public interface IMessagePublisher
{
    Task PublishAsync(string tenant, MqttMessage message, CancellationToken cancellationToken = default);
}
