namespace Bifro.Runtime.Transport;

/// <summary>What a frame carries. A frame is a four-byte little-endian length, then the kind, then the payload.</summary>
internal enum FrameKind : byte
{
    /// <summary>A grain or observer call; a one-way call has correlation id 0.</summary>
    Request = 1,

    /// <summary>The response to a request, by correlation id.</summary>
    Response = 2,

    /// <summary>A membership probe.</summary>
    Ping = 3,

    /// <summary>The answer to a probe.</summary>
    Pong = 4,

    /// <summary>The sender changed the membership table: read it now rather than at the next refresh.</summary>
    MembershipChanged = 5,
}

/// <summary>A serialized frame waiting to be written, and the call it belongs to (to fail it if the connection dies).</summary>
internal readonly record struct OutgoingFrame(Serialization.Writer Payload, FrameKind Kind, long CorrelationId);
