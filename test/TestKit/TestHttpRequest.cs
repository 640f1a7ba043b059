using System.Collections.Specialized;
using System.Text.Json.Nodes;

namespace Bifro.TestKit;

/// <summary>A request <see cref="TestHttpServer"/> received.</summary>
public sealed record TestHttpRequest(string Path, JsonObject Body, NameValueCollection Headers);
