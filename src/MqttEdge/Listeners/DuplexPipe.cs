using System.IO.Pipelines;

namespace Bifro.MqttEdge.Listeners;

/// <summary>A reader and a writer handed to the next middleware as the connection's transport.</summary>
internal sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
{
    public PipeReader Input { get; } = input;

    public PipeWriter Output { get; } = output;
}
