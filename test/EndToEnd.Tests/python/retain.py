#!/usr/bin/python3
"""Retained messages with MQTT 5.0 subscription options: Retain Handling, Retain As Published, shared subscriptions.

Whether a retained message is sent for a subscription is decided right after its SUBACK; a marker subscription
made afterwards, whose own retained message is sent after any earlier one, shows when that moment has passed.
"""

from bifro_paho import check, check_equal, main


class _Retained:
    def __init__(self, ctx):
        self.ctx = ctx
        self.topic = ctx.topic("retained")
        self.publisher = ctx.client("publisher")
        self.publisher.connect()
        self.publisher.publish(self.topic, "kept", qos=1, retain=True)
        self.markers = 0

    def marker(self, subscriber):
        """Subscribes to a fresh marker topic holding a retained message and waits for it."""
        self.markers += 1
        topic = self.ctx.topic(f"marker/{self.markers}")
        self.publisher.publish(topic, "marker", qos=1, retain=True)
        subscriber.subscribe(topic, qos=1)
        subscriber.wait_message(topic)

    def count(self, subscriber):
        return len(subscriber.messages_on(self.topic))

    def clear(self):
        self.publisher.publish(self.topic, b"", qos=1, retain=True)
        for i in range(1, self.markers + 1):
            self.publisher.publish(self.ctx.topic(f"marker/{i}"), b"", qos=1, retain=True)


def _handling(ctx, handling, expect_first, expect_again, session_expiry=None):
    retained = _Retained(ctx)
    subscriber = ctx.client("subscriber")
    subscriber.connect(session_expiry=session_expiry)
    subscriber.subscribe(retained.topic, qos=1, retain_handling=handling)
    retained.marker(subscriber)
    check_equal(retained.count(subscriber), expect_first, f"retained messages after subscribing with Retain Handling {handling}")
    if expect_first:
        check(subscriber.messages_on(retained.topic)[0].retain, "RETAIN flag of a retained message sent for a subscription")

    subscriber.subscribe(retained.topic, qos=1, retain_handling=handling)
    retained.marker(subscriber)
    check_equal(retained.count(subscriber), expect_first + expect_again,
                f"retained messages after subscribing again with Retain Handling {handling}")
    retained.clear()
    if session_expiry:
        subscriber.disconnect(session_expiry=0)


def handling_0(ctx):
    """[MQTT-3.3.1-9] Retain Handling 0: sent at every subscribe, new or not."""
    _handling(ctx, 0, 1, 1)


def handling_1(ctx):
    """[MQTT-3.3.1-10] Retain Handling 1: sent only if the subscription did not exist."""
    _handling(ctx, 1, 1, 0)


def handling_1_persistent(ctx):
    """The same for a persistent session, whose retained messages go through its inbox."""
    _handling(ctx, 1, 1, 0, session_expiry=60)


def handling_2(ctx):
    """[MQTT-3.3.1-11] Retain Handling 2: never sent."""
    _handling(ctx, 2, 0, 0)


def retain_as_published(ctx):
    """[MQTT-3.3.1-12/13] Forwarded messages keep RETAIN only for subscriptions with Retain As Published."""
    topic = ctx.topic("rap")
    keeps = ctx.client("rap1")
    keeps.connect()
    keeps.subscribe(topic, qos=1, retain_as_published=True)
    clears = ctx.client("rap0")
    clears.connect()
    clears.subscribe(topic, qos=1, retain_as_published=False)
    persistent = ctx.client("rap1-persistent")
    persistent.connect(session_expiry=60)
    persistent.subscribe(topic, qos=1, retain_as_published=True)

    publisher = ctx.client("publisher")
    publisher.connect()
    publisher.publish(topic, "retained", qos=1, retain=True)
    publisher.publish(topic, "plain", qos=1, retain=False)

    for subscriber, expect in ((keeps, True), (clears, False), (persistent, True)):
        retained, plain = subscriber.wait_messages(2, topic)
        check_equal(retained.retain, expect, f"{subscriber.name}: RETAIN of a retained message forwarded live")
        check_equal(plain.retain, False, f"{subscriber.name}: RETAIN of a message published without it")
    publisher.publish(topic, b"", qos=1, retain=True)
    persistent.disconnect(session_expiry=0)


def shared_subscription_no_retained(ctx):
    """3.3.1.3: retained messages are sent when a new non-shared subscription is made; not for a shared one (4.8.2)."""
    retained = _Retained(ctx)
    subscriber = ctx.client("shared")
    subscriber.connect()
    subscriber.subscribe(f"$share/group/{retained.topic}", qos=1)
    retained.marker(subscriber)
    check_equal(retained.count(subscriber), 0, "retained messages sent for a shared subscription")

    # The shared subscription does work: a live message arrives, without RETAIN.
    retained.publisher.publish(retained.topic, "live", qos=1)
    live = subscriber.wait_message(retained.topic, "live")
    check_equal(live.retain, False, "RETAIN of a live message on a shared subscription")
    retained.clear()


if __name__ == "__main__":
    main({
        "handling_0": handling_0,
        "handling_1": handling_1,
        "handling_1_persistent": handling_1_persistent,
        "handling_2": handling_2,
        "retain_as_published": retain_as_published,
        "shared_subscription_no_retained": shared_subscription_no_retained,
    })
