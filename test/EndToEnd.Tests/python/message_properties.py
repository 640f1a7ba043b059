#!/usr/bin/python3
"""PUBLISH properties end to end (MQTT 5.0): pass-through, message expiry, subscription identifiers, no local."""

from bifro_paho import check, check_equal, main

USER_PROPERTIES = [("a", "1"), ("b", "2"), ("a", "3"), ("a", "1"), ("ключ", "値"), ("empty", "")]
CORRELATION = b"\x00\x01corr\xff\xfe"

SENT = {
    "PayloadFormatIndicator": 1,
    "ContentType": "application/json; charset=utf-8",
    "ResponseTopic": "e2e/paho/replies/here",
    "CorrelationData": CORRELATION,
    "UserProperty": USER_PROPERTIES,
}


def _check_pass_through(message, who):
    # [MQTT-3.3.2-4/15/16/17/20] Forwarded unaltered; user properties in order [MQTT-3.3.2-18], duplicates kept.
    check_equal(message.prop("PayloadFormatIndicator"), 1, f"{who}: Payload Format Indicator")
    check_equal(message.prop("ContentType"), SENT["ContentType"], f"{who}: Content Type")
    check_equal(message.prop("ResponseTopic"), SENT["ResponseTopic"], f"{who}: Response Topic")
    check_equal(message.prop("CorrelationData"), CORRELATION, f"{who}: Correlation Data")
    check_equal(message.prop("UserProperty"), USER_PROPERTIES, f"{who}: User Properties")
    check_equal(message.text, '{"x": 1}', f"{who}: payload")


def pass_through(ctx):
    """Every property a publisher sets reaches a transient subscriber and a persistent one (through its inbox),
    at QoS 0, 1 and 2."""
    topic = ctx.topic("props")
    transient = ctx.client("transient")
    transient.connect()
    transient.subscribe(topic, qos=2)
    persistent = ctx.client("persistent")
    persistent.connect(session_expiry=60)
    persistent.subscribe(topic, qos=2)

    publisher = ctx.client("publisher")
    publisher.connect()
    for qos in (0, 1, 2):
        publisher.publish(topic, '{"x": 1}', qos=qos, **SENT)

    for subscriber in (transient, persistent):
        messages = subscriber.wait_messages(3, topic)
        check_equal(sorted(m.qos for m in messages), [0, 1, 2], f"{subscriber.name}: QoS of the three messages")
        for message in messages:
            _check_pass_through(message, f"{subscriber.name} QoS {message.qos}")
    persistent.disconnect(session_expiry=0)


def pass_through_retained(ctx):
    """A retained message keeps its properties when sent to a later subscriber."""
    topic = ctx.topic("props/retained")
    publisher = ctx.client("publisher")
    publisher.connect()
    publisher.publish(topic, '{"x": 1}', qos=1, retain=True, **SENT)

    for name, expiry in (("transient", None), ("persistent", 60)):
        subscriber = ctx.client(name)
        subscriber.connect(session_expiry=expiry)
        subscriber.subscribe(topic, qos=1)
        message = subscriber.wait_message(topic)
        check(message.retain, f"{name}: a retained message sent for a subscription has RETAIN set: {message}")
        _check_pass_through(message, name)
        subscriber.disconnect(session_expiry=0 if expiry else None)
    publisher.publish(topic, b"", qos=1, retain=True)


def message_expiry_remaining(ctx):
    """[MQTT-3.3.2-6] The Message Expiry Interval forwarded is what was received less the time waited:
    never more than sent; a message without one is forwarded without one."""
    topic = ctx.topic("expiry")
    subscriber = ctx.client("subscriber")
    subscriber.connect()
    subscriber.subscribe(topic, qos=1)
    publisher = ctx.client("publisher")
    publisher.connect()
    publisher.publish(topic, "expires", qos=1, MessageExpiryInterval=30)
    publisher.publish(topic, "never expires", qos=1)

    expires, never = subscriber.wait_messages(2, topic)
    remaining = expires.prop("MessageExpiryInterval")
    check(remaining is not None and 0 < remaining <= 30, f"remaining Message Expiry Interval out of 1..30: {remaining}")
    check_equal(never.prop("MessageExpiryInterval"), None, "Message Expiry Interval of a message sent without one")


def subscription_identifiers(ctx):
    """[MQTT-3.3.4-3] A message carries the Subscription Identifier of the subscription that matched;
    (3.8.2.1.2) a subscription made without one delivers without one."""
    with_id, without_id = ctx.topic("subid/with"), ctx.topic("subid/without")
    subscriber = ctx.client("subscriber")
    subscriber.connect()
    subscriber.subscribe(with_id, qos=1, subscription_id=7)
    subscriber.subscribe(without_id, qos=1)
    publisher = ctx.client("publisher")
    publisher.connect()
    publisher.publish(with_id, "with", qos=1)
    publisher.publish(without_id, "without", qos=1)

    check_equal(subscriber.wait_message(with_id).prop("SubscriptionIdentifier"), [7], "Subscription Identifier")
    check_equal(subscriber.wait_message(without_id).prop("SubscriptionIdentifier"), None,
                "Subscription Identifier of a subscription made without one")

    # [MQTT-3.8.4-3] Subscribing again to the same filter replaces the subscription, identifier included.
    subscriber.subscribe(with_id, qos=1, subscription_id=8)
    publisher.publish(with_id, "replaced", qos=1)
    check_equal(subscriber.wait_message(with_id, "replaced").prop("SubscriptionIdentifier"), [8],
                "Subscription Identifier after resubscribing")


def _overlap(ctx, session_expiry):
    base = ctx.topic("overlap")
    subscriber = ctx.client("subscriber")
    subscriber.connect(session_expiry=session_expiry)
    subscriber.subscribe(base + "/#", qos=1, subscription_id=1)
    subscriber.subscribe(base + "/+", qos=0, subscription_id=2)
    subscriber.subscribe(ctx.topic("marker"), qos=1, subscription_id=3)
    publisher = ctx.client("publisher")
    publisher.connect()
    publisher.publish(base + "/x", "both", qos=1)
    publisher.publish(ctx.topic("marker"), "marker", qos=1)

    # The marker comes after any second copy, so once it is here the count is final.
    subscriber.wait_message(ctx.topic("marker"))
    copies = subscriber.messages_on(base + "/x")
    # [MQTT-3.3.4-2/3/4] One copy for the overlapping subscriptions, carrying both identifiers,
    # at the maximum QoS of the matching subscriptions.
    check_equal(len(copies), 1, f"copies of a message matching two subscriptions ({copies})")
    check_equal(sorted(copies[0].prop("SubscriptionIdentifier") or []), [1, 2], "Subscription Identifiers")
    check_equal(copies[0].qos, 1, "QoS of the single copy")
    if session_expiry:
        subscriber.disconnect(session_expiry=0)


def subscription_identifiers_overlap(ctx):
    _overlap(ctx, None)


def subscription_identifiers_overlap_persistent(ctx):
    """The same through a persistent session's inbox."""
    _overlap(ctx, 60)


def no_local(ctx):
    """[MQTT-3.8.3-3] With No Local the publisher does not get its own message back; another subscriber does."""
    topic, marker = ctx.topic("nolocal"), ctx.topic("nolocal-marker")
    own = ctx.client("own")
    own.connect()
    own.subscribe(topic, qos=1, no_local=True)
    own.subscribe(marker, qos=1)
    other = ctx.client("other")
    other.connect()
    other.subscribe(topic, qos=1)

    own.publish(topic, "mine", qos=1)
    own.publish(marker, "marker", qos=1)
    other.wait_message(topic, "mine")
    own.wait_message(marker)
    check_equal(own.messages_on(topic), [], "messages the publisher got back on its No Local subscription")

    # The other client's message does reach the No Local subscriber.
    other.publish(topic, "theirs", qos=1)
    own.wait_message(topic, "theirs")


if __name__ == "__main__":
    main({
        "pass_through": pass_through,
        "pass_through_retained": pass_through_retained,
        "message_expiry_remaining": message_expiry_remaining,
        "subscription_identifiers": subscription_identifiers,
        "subscription_identifiers_overlap": subscription_identifiers_overlap,
        "subscription_identifiers_overlap_persistent": subscription_identifiers_overlap_persistent,
        "no_local": no_local,
    })
