namespace Bifro.Grains.Authorization.Providers;

/// <summary>How an ordered list of <see cref="AclRule"/>s decides, for the file and postgres providers.</summary>
internal static class AclPolicy
{
    /// <summary>The first rule that applies decides; without one, connect and unsubscribe are granted, publish and subscribe denied.</summary>
    public static CheckResult Check(AclRule[] rules, ClientInfo client, MqttAction action)
    {
        foreach (var rule in rules)
        {
            if (rule.Applies(client, action))
            {
                return rule.Allow ? CheckResult.Granted : CheckResult.Denied($"Denied by ACL rule {rule.Index}.");
            }
        }

        return action.Kind is MqttActionKind.Connect or MqttActionKind.Unsubscribe
            ? CheckResult.Granted
            : CheckResult.Denied("No ACL rule allows it.");
    }
}
