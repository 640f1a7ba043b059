using Bifro.Grains;
using Bifro.MqttEdge.Codec;
using Bifro.MqttEdge.Codec.Packets;
using Bifro.MqttEdge.Delivery;

namespace Bifro.MqttEdge.Connection;

/// <summary>SUBSCRIBE and UNSUBSCRIBE (ARCHITECTURE.md, flow 2): the session records them, the route shard stores them, our replica applies them before SUBACK, then retained messages follow.</summary>
internal sealed partial class MqttConnection
{
    private ValueTask<bool> HandleSubscribe(byte flags, ReadOnlySpan<byte> body)
    {
        if (!SubscribePacket.TryRead(flags, body, _version, out var packet, out var error))
        {
            return new ValueTask<bool>(ProtocolViolation(error));
        }

        return Diagnostics.EdgeInstrumentation.ActivitySource.HasListeners() ? TracedSubscribeAsync(packet!) : SubscribeAsync(packet!);
    }

    private async ValueTask<bool> SubscribeAsync(SubscribePacket packet)
    {
        if (ExceedsFiltersPerPacket(packet.Subscriptions.Count))
        {
            return false;
        }

        var options = _edge.Options;
        var v5 = _version == ProtocolVersion.Mqtt500;
        var codes = new List<ReasonCode>(packet.Subscriptions.Count);
        var accepted = new List<Grains.Subscription>(packet.Subscriptions.Count);
        var acceptedIndex = new List<int>(packet.Subscriptions.Count);
        var subscriptionId = packet.SubscriptionIdentifier is { } id ? (uint)id : 0u;
        foreach (var requested in packet.Subscriptions)
        {
            var filter = requested.TopicFilter;
            ReasonCode code;
            if (!filter.IsValid)
            {
                if (!v5)
                {
                    // 3.x has no per-filter refusal for a malformed filter: it is a protocol violation [MQTT-4.7.1-1/2].
                    return ProtocolViolation(ReasonCode.ProtocolError, "MQTT-4.7.1-1", $"Invalid topic filter '{filter.Filter}'");
                }

                code = ReasonCode.TopicFilterInvalid;
            }
            else if (filter.IsShared && !options.SharedSubscriptionAvailable)
            {
                code = ReasonCode.SharedSubscriptionsNotSupported;
            }
            else if (!options.WildcardSubscriptionAvailable && (filter.MatchFilter.Contains('+') || filter.MatchFilter.Contains('#')))
            {
                code = ReasonCode.WildcardSubscriptionsNotSupported;
            }
            else if (subscriptionId != 0 && !options.SubscriptionIdentifiersAvailable)
            {
                code = ReasonCode.SubscriptionIdentifiersNotSupported;
            }
            else if (ExceedsTopicLimits(System.Text.Encoding.UTF8.GetByteCount(filter.MatchFilter), filter.MatchFilter.AsSpan().Count('/') + 1) is { } topicLimit)
            {
                // The tenant's MaxTopicLength / MaxTopicLevels: this filter is refused, the others go on.
                if (_version == ProtocolVersion.Mqtt310)
                {
                    return CloseForLimit(ReasonCode.TopicFilterInvalid, topicLimit.Setting, topicLimit.Limit, $"filter '{filter.Filter}': {topicLimit.Message}");
                }

                NoteLimitExceeded(topicLimit.Setting, topicLimit.Limit, $"filter '{filter.Filter}': {topicLimit.Message}");

                code = v5 ? ReasonCode.TopicFilterInvalid : ReasonCode.UnspecifiedError;
            }
            else
            {
                // [MQTT-3.8.4-8] Granted QoS is the lower of what was asked and what we support.
                var qos = requested.Options.MaximumQoS < options.MaximumQoS ? requested.Options.MaximumQoS : options.MaximumQoS;
                code = (ReasonCode)(byte)qos;
                acceptedIndex.Add(codes.Count);
                accepted.Add(new Grains.Subscription(
                    filter.MatchFilter,
                    filter.ShareName,
                    (byte)qos,
                    requested.Options.NoLocal,
                    requested.Options.RetainAsPublished,
                    (byte)requested.Options.RetainHandling,
                    subscriptionId));
            }

            codes.Add(code);
        }

        if (accepted.Count > 0)
        {
            // Authorization per filter: a denied filter gets 0x87 (3.1.1: 0x80) and is not subscribed.
            var actions = new MqttAction[accepted.Count];
            for (var i = 0; i < actions.Length; i++)
            {
                actions[i] = MqttAction.Subscribe(accepted[i].Filter, accepted[i].QoS, accepted[i].ShareGroup);
            }

            var decisions = await CheckPermissionsAsync(actions).ConfigureAwait(false);
            for (var i = decisions.Length - 1; i >= 0; i--)
            {
                if (decisions[i].IsGranted)
                {
                    continue;
                }

                ReportDenied(MqttActionKind.Subscribe, accepted[i].ClientFilter, accepted[i].QoS, false, decisions[i]);
                if (_version == ProtocolVersion.Mqtt310)
                {
                    // 3.1's SUBACK has no failure code: close [MQTT-3.9.3].
                    return ProtocolViolation(ReasonCode.NotAuthorized, "MQTT-3.9.3", $"Not authorized to subscribe to '{accepted[i].ClientFilter}'");
                }

                codes[acceptedIndex[i]] = v5 ? ReasonCode.NotAuthorized : ReasonCode.UnspecifiedError;
                accepted.RemoveAt(i);
                acceptedIndex.RemoveAt(i);
            }
        }

        if (accepted.Count > 0 && !LimitSubscriptionsPerSession(accepted, acceptedIndex, codes))
        {
            return false;
        }

        SubscribeResult? result = null;
        if (accepted.Count > 0)
        {
            try
            {
                result = await _session!.SubscribeAsync(Epoch, accepted.ToArray()).WaitAsync(options.GrainCallTimeout).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                LogSubscribeFailed(_edge.Logger, exception, SessionKey);
            }

            if (result is { Accepted: true, Route: { } route })
            {
                // Applied here before SUBACK, so no message published after SUBACK is missed.
                _routes!.Apply(SessionKey!, route.Revision, route);
                _subscriptions = route.Subscriptions;
                _self = _routes.Find(SessionKey!);
            }
            else
            {
                foreach (var index in acceptedIndex)
                {
                    codes[index] = ReasonCode.UnspecifiedError;
                }

                if (!v5)
                {
                    // Without 5.0 reason codes, 0x80 is the only failure a 3.1.1 SUBACK can say (3.1 has none: close).
                    if (_version == ProtocolVersion.Mqtt310)
                    {
                        return ProtocolViolation(ReasonCode.UnspecifiedError, "MQTT-3.9.3", "The subscription could not be stored");
                    }
                }
            }
        }

        EnqueueControl(new OutboundEntry { Kind = OutboundKind.Packet, Packet = new SubAckPacket { PacketId = packet.PacketId, ReasonCodes = codes } });

        if (result is { Accepted: true })
        {
            for (var i = 0; i < accepted.Count; i++)
            {
                await SendRetainedAsync(accepted[i], result.Existed[i]).ConfigureAwait(false);
            }
        }

        return true;
    }

    /// <summary>Retained messages for a new subscription, by its retain handling [MQTT-3.3.1-9/10/11]; never for shared ones [MQTT-3.8.4?].</summary>
    private async Task SendRetainedAsync(Grains.Subscription subscription, bool existed)
    {
        var handling = (RetainHandling)subscription.RetainHandling;
        if (subscription.ShareGroup is not null || handling == RetainHandling.DoNotSend || (handling == RetainHandling.SendAtSubscribeIfNew && existed))
        {
            return;
        }

        List<MqttMessage> retained;
        try
        {
            retained = await _edge.Router.MatchRetainedAsync(_tenant, subscription.Filter, _edge.Options.RetainedMessagesPerSubscription)
                .WaitAsync(_edge.Options.GrainCallTimeout).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogRetainedFailed(_edge.Logger, exception, subscription.Filter);
            return;
        }

        if (retained.Count == 0)
        {
            return;
        }

        uint[]? ids = subscription.SubscriptionId == 0 ? null : [subscription.SubscriptionId];
        if (_persistent)
        {
            // A persistent session receives everything through its inbox, retained messages too, so that
            // packet ids and redelivery after a reconnect work the same way for them.
            var batch = new InboxMessage[retained.Count];
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i] = new InboxMessage
                {
                    Message = retained[i],
                    QoS = Math.Min(retained[i].QoS, subscription.QoS),
                    RetainFlag = true,
                    SubscriptionIds = ids,
                };
            }

            try
            {
                await Inbox.EnqueueAsync(batch).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                LogRetainedFailed(_edge.Logger, exception, subscription.Filter);
            }

            return;
        }

        foreach (var message in retained)
        {
            var qos = (QualityOfService)Math.Min(message.QoS, subscription.QoS);
            var publish = PublishMessage.FromMqttMessage(message, qos, retain: true);
            EnqueuePublish(publish, qos, retain: true, ids);
            publish.Release();
        }
    }

    private ValueTask<bool> HandleUnsubscribe(byte flags, ReadOnlySpan<byte> body)
    {
        if (!UnsubscribePacket.TryRead(flags, body, _version, out var packet, out var error))
        {
            return new ValueTask<bool>(ProtocolViolation(error));
        }

        return UnsubscribeAsync(packet!);
    }

    private async ValueTask<bool> UnsubscribeAsync(UnsubscribePacket packet)
    {
        if (ExceedsFiltersPerPacket(packet.TopicFilters.Count))
        {
            return false;
        }

        var filters = new string[packet.TopicFilters.Count];
        for (var i = 0; i < filters.Length; i++)
        {
            filters[i] = packet.TopicFilters[i].Filter;
        }

        // Authorization per filter: a denied filter stays subscribed; 5.0 says 0x87, 3.x cannot say.
        var actions = new MqttAction[filters.Length];
        for (var i = 0; i < filters.Length; i++)
        {
            var filter = packet.TopicFilters[i];
            actions[i] = MqttAction.Unsubscribe(filter.MatchFilter, filter.ShareName);
        }

        var decisions = await CheckPermissionsAsync(actions).ConfigureAwait(false);
        var allowed = new List<string>(filters.Length);
        for (var i = 0; i < filters.Length; i++)
        {
            if (decisions[i].IsGranted)
            {
                allowed.Add(filters[i]);
            }
            else
            {
                ReportDenied(MqttActionKind.Unsubscribe, filters[i], 0, false, decisions[i]);
            }
        }

        SubscribeResult? result = null;
        if (allowed.Count > 0)
        {
            try
            {
                result = await _session!.UnsubscribeAsync(Epoch, allowed.ToArray()).WaitAsync(_edge.Options.GrainCallTimeout).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                LogSubscribeFailed(_edge.Logger, exception, SessionKey);
            }

            if (result is { Accepted: true, Route: { } route })
            {
                _routes!.Apply(SessionKey!, route.Revision, route);
                _subscriptions = route.Subscriptions;
                _self = _routes.Find(SessionKey!);
            }
        }

        var codes = new List<ReasonCode>(filters.Length);
        var next = 0;
        for (var i = 0; i < filters.Length; i++)
        {
            if (!decisions[i].IsGranted)
            {
                codes.Add(ReasonCode.NotAuthorized);
                continue;
            }

            codes.Add(result is not { Accepted: true }
                ? ReasonCode.UnspecifiedError
                : result.Existed[next] ? ReasonCode.Success : ReasonCode.NoSubscriptionExisted);
            next++;
        }

        EnqueueControl(new OutboundEntry { Kind = OutboundKind.Packet, Packet = new UnsubAckPacket { PacketId = packet.PacketId, ReasonCodes = codes } });
        return true;
    }

    /// <summary>MaxTopicFiltersPerSub: a SUBSCRIBE or UNSUBSCRIBE with more filters closes the connection (5.0 DISCONNECT 0x97).</summary>
    private bool ExceedsFiltersPerPacket(int count)
    {
        var max = _settings.MaxTopicFiltersPerSub;
        return max > 0 && count > max
            && !CloseForLimit(ReasonCode.QuotaExceeded, nameof(TenantSettings.MaxTopicFiltersPerSub), max, $"At most {max} topic filters per packet.");
    }

    /// <summary>
    /// MaxSubscriptionsPerSession: new filters past the limit are refused with SUBACK 0x97 (3.1.1: 0x80; 3.1 has no
    /// failure code and closes); filters the session has already are replacements and always go through.
    /// False when the connection closes.
    /// </summary>
    private bool LimitSubscriptionsPerSession(List<Grains.Subscription> accepted, List<int> acceptedIndex, List<ReasonCode> codes)
    {
        var max = _settings.MaxSubscriptionsPerSession;
        if (max <= 0)
        {
            return true;
        }

        var count = _subscriptions.Length;
        for (var i = 0; i < accepted.Count; i++)
        {
            var requested = accepted[i];
            if (Array.Exists(_subscriptions, existing => existing.SameFilter(requested)) || accepted.FindIndex(0, i, earlier => earlier.SameFilter(requested)) >= 0)
            {
                continue;
            }

            if (count < max)
            {
                count++;
                continue;
            }

            var message = $"A session may hold {max} subscriptions.";
            if (_version == ProtocolVersion.Mqtt310)
            {
                return CloseForLimit(ReasonCode.QuotaExceeded, nameof(TenantSettings.MaxSubscriptionsPerSession), max, message);
            }

            NoteLimitExceeded(nameof(TenantSettings.MaxSubscriptionsPerSession), max, $"filter '{requested.ClientFilter}': {message}");
            codes[acceptedIndex[i]] = _version == ProtocolVersion.Mqtt500 ? ReasonCode.QuotaExceeded : ReasonCode.UnspecifiedError;
            accepted.RemoveAt(i);
            acceptedIndex.RemoveAt(i);
            i--;
        }

        return true;
    }
}
