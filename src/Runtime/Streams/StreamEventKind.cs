namespace Bifro.Runtime.Streams;

/// <summary>What a stream event carries to observers.</summary>
internal enum StreamEventKind : byte
{
    /// <summary>An item: OnNextAsync.</summary>
    Next,

    /// <summary>The producer finished the stream: OnCompletedAsync.</summary>
    Completed,

    /// <summary>The producer reported an error: OnErrorAsync.</summary>
    Error,
}
