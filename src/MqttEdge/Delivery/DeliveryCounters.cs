namespace Bifro.MqttEdge.Delivery;

/// <summary>Counts of what the edge delivered and dropped, for metrics, logs and tests.</summary>
internal sealed class DeliveryCounters
{
    private long _delivered;
    private long _handedToInbox;
    private long _droppedNoConnection;
    private long _droppedQueueFull;
    private long _droppedTooLarge;
    private long _droppedExpired;
    private long _inboxOverflow;

    public long Delivered => Volatile.Read(ref _delivered);

    public long HandedToInbox => Volatile.Read(ref _handedToInbox);

    public long DroppedNoConnection => Volatile.Read(ref _droppedNoConnection);

    public long DroppedQueueFull => Volatile.Read(ref _droppedQueueFull);

    public long DroppedTooLarge => Volatile.Read(ref _droppedTooLarge);

    public long DroppedExpired => Volatile.Read(ref _droppedExpired);

    public long InboxOverflow => Volatile.Read(ref _inboxOverflow);

    public void OnDelivered() => Interlocked.Increment(ref _delivered);

    public void OnHandedToInbox() => Interlocked.Increment(ref _handedToInbox);

    public void OnNoConnection() => Interlocked.Increment(ref _droppedNoConnection);

    public void OnNoConnection(int count) => Interlocked.Add(ref _droppedNoConnection, count);

    public void OnQueueFull() => Interlocked.Increment(ref _droppedQueueFull);

    public void OnTooLarge() => Interlocked.Increment(ref _droppedTooLarge);

    public void OnExpired() => Interlocked.Increment(ref _droppedExpired);

    public void OnInboxOverflow(int count) => Interlocked.Add(ref _inboxOverflow, count);
}
