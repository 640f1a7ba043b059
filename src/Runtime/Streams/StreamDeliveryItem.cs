namespace Bifro.Runtime.Streams;

/// <summary>
/// One event of a stream as it is buffered and delivered. A produced event is one object, shared by the
/// buffers of every subscription (it is never changed); it crosses to a grain consumer inside a grain
/// call, so it is serializable.
/// </summary>
[GenerateSerializer]
internal sealed class StreamDeliveryItem
{
    [Id(0)]
    public StreamEventKind Kind { get; init; }

    /// <summary>The item of a <see cref="StreamEventKind.Next"/> event.</summary>
    [Id(1)]
    public object? Item { get; init; }

    /// <summary>The error of an <see cref="StreamEventKind.Error"/> event.</summary>
    [Id(2)]
    public Exception? Error { get; init; }

    /// <summary>The event's position in its stream (observers see it as an EventSequenceToken).</summary>
    [Id(3)]
    public long SequenceNumber { get; init; }
}
