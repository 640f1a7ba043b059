using Bifro.Grains;

namespace Bifro.Configuration;

/// <summary>Checks one tenant's settings; each message names its key ("Bifro:Tenants:acme:MaxTopicLevels").</summary>
internal static class TenantSettingsValidator
{
    public static void Validate(TenantSettings settings, string section, List<string> errors)
    {
        AtLeast(settings.MaxTopicLevels, 1, nameof(settings.MaxTopicLevels));
        AtLeast(settings.MaxUserPayloadBytes, 1, nameof(settings.MaxUserPayloadBytes));
        AtLeast(settings.SessionInboxSize, 1, nameof(settings.SessionInboxSize));
        AtLeast(settings.MsgPubPerSec, 0, nameof(settings.MsgPubPerSec));
        AtLeast(settings.MaxConnections, 0, nameof(settings.MaxConnections));
        AtLeast(settings.ConnectPerSecond, 0, nameof(settings.ConnectPerSecond));
        AtLeast(settings.MaxSubscriptionsPerSession, 0, nameof(settings.MaxSubscriptionsPerSession));
        AtLeast(settings.MaxTopicFiltersPerSub, 0, nameof(settings.MaxTopicFiltersPerSub));
        AtLeast(settings.MaxRetainedTopics, 0, nameof(settings.MaxRetainedTopics));
        if (settings.MaxTopicLength is < 1 or > 65_535)
        {
            errors.Add($"{section}:{nameof(settings.MaxTopicLength)} {settings.MaxTopicLength} must be between 1 and 65535 (UTF-8 bytes).");
        }

        if (settings.ReceivingMaximum is < 1 or > 65_535)
        {
            errors.Add($"{section}:{nameof(settings.ReceivingMaximum)} {settings.ReceivingMaximum} must be between 1 and 65535.");
        }

        void AtLeast(int value, int minimum, string name)
        {
            if (value < minimum)
            {
                errors.Add(minimum == 0
                    ? $"{section}:{name} {value} must not be negative (0 turns the limit off)."
                    : $"{section}:{name} {value} must be at least {minimum}.");
            }
        }
    }
}
