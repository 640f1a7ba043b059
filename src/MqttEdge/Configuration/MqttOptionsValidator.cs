using Microsoft.Extensions.Options;

namespace Bifro.MqttEdge.Configuration;

/// <summary>Rejects bad settings at start, naming the configuration key.</summary>
internal sealed partial class MqttOptionsValidator : IValidateOptions<MqttOptions>
{
    public ValidateOptionsResult Validate(string? name, MqttOptions options)
    {
        var errors = new List<string>();
        const string s = MqttOptions.SectionName;
        ValidateListeners(options, errors);

        if (options.ConnectTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{s}:ConnectTimeout must be positive.");
        }

        if (options.MaxPacketSize is < 128 or > 268_435_455)
        {
            errors.Add($"{s}:MaxPacketSize {options.MaxPacketSize} must be between 128 and 268435455 bytes.");
        }

        if (options.ReceiveMaximum == 0)
        {
            errors.Add($"{s}:ReceiveMaximum must be at least 1.");
        }

        if (options.MaxInflightOutbound == 0)
        {
            errors.Add($"{s}:MaxInflightOutbound must be at least 1.");
        }

        if (options.MaxQueuedMessages < 1)
        {
            errors.Add($"{s}:MaxQueuedMessages must be at least 1.");
        }

        if (options.MaxQueuedRemoteDeliveries < 1)
        {
            errors.Add($"{s}:MaxQueuedRemoteDeliveries must be at least 1.");
        }

        if (options.RemoteHighWaterMark < 0)
        {
            errors.Add($"{s}:RemoteHighWaterMark must not be negative.");
        }

        if (options.OutboundHighWaterMark < 0)
        {
            errors.Add($"{s}:OutboundHighWaterMark must not be negative.");
        }

        if (options.BackpressureTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{s}:BackpressureTimeout must be positive.");
        }

        if (options.MaxOfflineMessages < 1)
        {
            errors.Add($"{s}:MaxOfflineMessages must be at least 1.");
        }

        if (options.RetainedMessagesPerSubscription < 0)
        {
            errors.Add($"{s}:RetainedMessagesPerSubscription must not be negative.");
        }

        if (options.MaxClientIdLength is < 23 or > 65535)
        {
            errors.Add($"{s}:MaxClientIdLength {options.MaxClientIdLength} must be between 23 and 65535.");
        }

        if (!Enum.IsDefined(options.MaximumQoS))
        {
            errors.Add($"{s}:MaximumQoS must be 0, 1 or 2.");
        }

        if (options.GrainCallTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{s}:GrainCallTimeout must be positive.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
