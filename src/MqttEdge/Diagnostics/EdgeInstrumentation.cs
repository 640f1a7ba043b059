using System.Diagnostics;

namespace Bifro.MqttEdge.Diagnostics;

/// <summary>
/// The edge's activity source: spans for CONNECT, SUBSCRIBE and sampled PUBLISH. Without a listener (no
/// tracing configured) StartActivity returns null and each call site costs one check.
/// </summary>
internal static class EdgeInstrumentation
{
    public const string Name = "Bifro.Mqtt";

    public static readonly ActivitySource ActivitySource = new(Name);
}
