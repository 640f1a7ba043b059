using Bifro.Runtime.Messaging;

namespace Bifro.Serialization;

/// <summary>What codecs may need beyond the bytes: the runtime that grain references are bound to.</summary>
public sealed class SerializerSession
{
    public SerializerSession(IGrainReferenceRuntime? runtime) => Runtime = runtime;

    public IGrainReferenceRuntime? Runtime { get; }
}
