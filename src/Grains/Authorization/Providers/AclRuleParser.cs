using System.Diagnostics.CodeAnalysis;

namespace Bifro.Grains.Authorization.Providers;

/// <summary>
/// Makes an <see cref="AclRule"/> from its fields as the users file and the bifro_auth_acl table hold them:
/// effect, actions, selectors, topic patterns, QoS levels and retain.
/// </summary>
internal static class AclRuleParser
{
    /// <summary>The rule, or an error that says which field is wrong (without saying where the rule came from).</summary>
    public static bool TryCreate(
        int index,
        string? effect,
        IEnumerable<string>? actions,
        string? user,
        string? clientId,
        string? tenant,
        string? certificate,
        IReadOnlyList<string>? topics,
        IEnumerable<int>? qos,
        bool? retain,
        [NotNullWhen(true)] out AclRule? rule,
        [NotNullWhen(false)] out string? error)
    {
        rule = null;
        bool allow;
        switch (effect)
        {
            case "allow":
                allow = true;
                break;
            case "deny":
                allow = false;
                break;
            default:
                error = $"effect '{effect}' must be 'allow' or 'deny'.";
                return false;
        }

        var actionBits = 0;
        foreach (var action in actions ?? ["all"])
        {
            var bit = action switch
            {
                "connect" => 1 << (int)MqttActionKind.Connect,
                "publish" => 1 << (int)MqttActionKind.Publish,
                "subscribe" => 1 << (int)MqttActionKind.Subscribe,
                "unsubscribe" => 1 << (int)MqttActionKind.Unsubscribe,
                "all" => 0b1111,
                _ => -1,
            };
            if (bit < 0)
            {
                error = $"action '{action}' must be connect, publish, subscribe, unsubscribe or all.";
                return false;
            }

            actionBits |= bit;
        }

        var qosBits = 0b111;
        if (qos is not null)
        {
            qosBits = 0;
            foreach (var level in qos)
            {
                if (level is < 0 or > 2)
                {
                    error = $"qos {level} must be 0, 1 or 2.";
                    return false;
                }

                qosBits |= 1 << level;
            }
        }

        foreach (var topic in topics ?? [])
        {
            if (string.IsNullOrEmpty(topic) || !IsValidPattern(topic))
            {
                error = $"topic pattern '{topic}' is not a valid topic filter ('#' only as the last level, '+' and '#' alone in their level).";
                return false;
            }
        }

        rule = new AclRule
        {
            Index = index,
            Allow = allow,
            Actions = actionBits,
            User = user,
            ClientId = clientId,
            Tenant = tenant,
            Certificate = certificate,
            Topics = topics?.ToArray(),
            QoS = qosBits,
            Retain = retain,
        };
        error = null;
        return true;
    }

    private static bool IsValidPattern(string pattern)
    {
        var levels = pattern.Split('/');
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            if ((level.Contains('#', StringComparison.Ordinal) && (level != "#" || i != levels.Length - 1))
                || (level.Contains('+', StringComparison.Ordinal) && level != "+"))
            {
                return false;
            }
        }

        return true;
    }
}
