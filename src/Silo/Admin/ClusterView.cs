namespace Bifro.Silo.Admin;

/// <summary>The membership as the answering node sees it.</summary>
/// <param name="Node">The answering node's identity.</param>
/// <param name="Members">Every silo in its view.</param>
internal sealed record ClusterView(string Node, List<ClusterMemberView> Members);
