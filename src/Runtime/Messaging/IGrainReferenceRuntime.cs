using Bifro.Serialization.Invocation;

namespace Bifro.Runtime.Messaging;

/// <summary>What a grain reference sends its calls through: the silo's or a cluster client's runtime.</summary>
public interface IGrainReferenceRuntime
{
    Task<T> InvokeMethodAsync<T>(GrainReference reference, Request<T> request);

    Task InvokeMethodAsync(GrainReference reference, Request request);
}
