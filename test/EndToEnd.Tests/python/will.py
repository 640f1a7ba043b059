#!/usr/bin/python3
"""Will messages (MQTT 5.0): which disconnects publish them, and the Will Delay Interval.

A will that must not be published cannot be shown absent by a later event (the session publishes it on its own
timer), so those scenarios watch the will topic for a bounded time past the moment it would have come.
"""

import threading
import time

from bifro_paho import check, check_equal, let_time_pass, log, main

WILL_PROPS = {"ContentType": "text/plain", "UserProperty": [("k", "1"), ("k", "2")], "MessageExpiryInterval": 60}


class _Will:
    def __init__(self, ctx, name="will"):
        self.ctx = ctx
        self.topic = ctx.topic(name)
        self.watcher = ctx.client("watcher")
        self.watcher.connect()
        self.watcher.subscribe(self.topic, qos=1)
        self.client_id = ctx.unique("testament")

    def connect(self, delay=None, session_expiry=None, props=None, client_id=None):
        will_props = dict(props or {})
        if delay is not None:
            will_props["WillDelayInterval"] = delay
        client = self.ctx.client("testament", client_id=client_id or self.client_id)
        client.connect(session_expiry=session_expiry,
                       will={"topic": self.topic, "payload": "gone", "qos": 1, "props": will_props})
        return client

    def wait(self, timeout=10):
        return self.watcher.wait_message(self.topic, "gone", timeout=timeout)

    def absent_for(self, seconds, why):
        self.watcher.quiet_for(seconds, self.topic, why)


def on_disconnect_with_will(ctx):
    """[MQTT-3.14.4-3] DISCONNECT 0x04 (Disconnect with Will Message) publishes the will, properties included."""
    will = _Will(ctx)
    will.connect(props=WILL_PROPS).disconnect(reason=0x04)
    message = will.wait()
    check_equal(message.prop("ContentType"), "text/plain", "will Content Type")
    check_equal(message.prop("UserProperty"), [("k", "1"), ("k", "2")], "will User Properties")
    remaining = message.prop("MessageExpiryInterval")
    check(remaining is not None and 0 < remaining <= 60, f"will Message Expiry Interval out of 1..60: {remaining}")


def not_on_normal_disconnect(ctx):
    """[MQTT-3.14.4-3] DISCONNECT 0x00 discards the will."""
    will = _Will(ctx)
    will.connect().disconnect(reason=0x00)
    will.absent_for(2.0, "after DISCONNECT 0x00")


def not_on_normal_disconnect_before_detach(ctx):
    """[MQTT-3.14.4-3] DISCONNECT 0x00 discards the will, even if the same client identifier connects again
    before the server has finished closing the old connection. To hold that connection open after its
    DISCONNECT, the client stops reading (blocked in on_message) while the server still has megabytes to write
    to it; then it sends DISCONNECT 0x00 on its socket and, once the server has had time to read it, connects
    again. The new connection must not be treated as a takeover of a connection that is still open."""
    topic = ctx.topic("flood")
    will = _Will(ctx)
    stalled = ctx.client("stalled", client_id=will.client_id)
    release = threading.Event()
    blocked = threading.Event()

    def block(message):
        blocked.set()
        release.wait(30)

    stalled.connect(will={"topic": will.topic, "payload": "gone", "qos": 1})
    stalled.subscribe(topic, qos=0)
    stalled.on_message_hook = block
    publisher = ctx.client("publisher")
    publisher.connect()
    publisher.publish(topic, "first", qos=1)
    check(blocked.wait(10), "the stalled client got no first message")
    # Acknowledged means queued for the stalled client: far more than the socket buffers hold.
    # 30 MB in packets under the default Maximum Packet Size (256 KiB).
    for _ in range(120):
        publisher.publish(topic, b"x" * 250_000, qos=1)

    try:
        stalled.mqtt.socket().send(b"\xe0\x00")  # DISCONNECT, Normal disconnection (paho's thread is blocked)
        let_time_pass(0.2, "the server to read the DISCONNECT while its writes to the stalled client are blocked")
        again = ctx.client("again", client_id=will.client_id)
        check_equal(again.connect(clean_start=False).session_present, False,
                    "session present after DISCONNECT of a session with expiry 0")
        will.absent_for(2.0, "the client sent DISCONNECT 0x00 before connecting again")
        again.disconnect()
    finally:
        stalled.on_message_hook = None
        stalled.shutdown_socket()
        release.set()


def on_connection_loss(ctx):
    """[MQTT-3.1.2-8] A connection closed without DISCONNECT publishes the will."""
    will = _Will(ctx)
    will.connect().drop()
    will.wait()


def on_takeover(ctx):
    """A takeover with Clean Start 1 ends the old session while its connection closes without DISCONNECT from its
    client: the will is published [MQTT-3.1.3-9: the session ends] although its delay has not passed."""
    will = _Will(ctx)
    will.connect(delay=30, session_expiry=60)
    successor = ctx.client("successor", client_id=will.client_id)
    successor.connect(clean_start=True, session_expiry=0)
    will.wait(timeout=5)
    successor.disconnect()


def delayed_on_takeover_of_expiry_zero(ctx):
    """A session with expiry 0 ends with its connection [MQTT-3.1.2-23], and a takeover closes that connection, so the
    session ends and its will is published although its delay has not passed and the successor starts with Clean
    Start 0 [MQTT-3.1.3-9]."""
    will = _Will(ctx)
    will.connect(delay=30, session_expiry=0)
    successor = ctx.client("successor", client_id=will.client_id)
    successor.connect(clean_start=False, session_expiry=0)
    will.wait(timeout=5)
    successor.disconnect()


def delay_published_after_delay(ctx):
    """[MQTT-3.1.3-9] With a Will Delay Interval the will is published once the delay has passed, not before."""
    will = _Will(ctx)
    client = will.connect(delay=2, session_expiry=60)
    dropped_at = time.monotonic()
    client.drop()
    message = will.wait(timeout=15)
    elapsed = message.received_at - dropped_at
    log(f"will published {elapsed:.2f} s after the connection was lost")
    check(elapsed >= 1.9, f"will published {elapsed:.2f} s after the connection was lost, before its 2 s delay")
    _end_session(ctx, will.client_id)


def delay_not_published_when_resumed(ctx):
    """[MQTT-3.1.3-9] A session resumed (Clean Start 0) within the Will Delay Interval does not publish the will."""
    will = _Will(ctx)
    will.connect(delay=2, session_expiry=60).drop()
    resumed = ctx.client("resumed", client_id=will.client_id)
    check_equal(resumed.connect(clean_start=False, session_expiry=60).session_present, True, "session present on resuming")
    will.absent_for(3.5, "the session was resumed within the 2 s will delay")
    resumed.disconnect(session_expiry=0)


def delay_published_on_clean_start(ctx):
    """A new connection with Clean Start 1 within the delay ends the old session, which publishes its will."""
    will = _Will(ctx)
    will.connect(delay=30, session_expiry=60).drop()
    fresh = ctx.client("fresh", client_id=will.client_id)
    check_equal(fresh.connect(clean_start=True, session_expiry=0).session_present, False, "session present")
    will.wait(timeout=5)
    fresh.disconnect()


def delay_capped_by_session_expiry(ctx):
    """[MQTT-3.1.3-9] 3.1.3.2.2: the will is published when the session ends, if that comes before the delay."""
    will = _Will(ctx)
    client = will.connect(delay=30, session_expiry=2)
    dropped_at = time.monotonic()
    client.drop()
    message = will.wait(timeout=15)
    elapsed = message.received_at - dropped_at
    log(f"will published {elapsed:.2f} s after the connection was lost")
    check(1.9 <= elapsed < 15, f"will published {elapsed:.2f} s after the connection was lost; the session expired after 2 s")
    after = ctx.client("after", client_id=will.client_id)
    check_equal(after.connect(clean_start=False, session_expiry=0).session_present, False,
                "session present once the session expired")
    after.disconnect()


def delay_with_session_expiry_zero(ctx):
    """A session without expiry ends with its connection, so a delayed will is published at once."""
    will = _Will(ctx)
    client = will.connect(delay=30, session_expiry=0)
    dropped_at = time.monotonic()
    client.drop()
    message = will.wait(timeout=10)
    check(message.received_at - dropped_at < 10, "will of a session with expiry 0 not published at once")


def _end_session(ctx, client_id):
    cleanup = ctx.client("cleanup", client_id=client_id)
    cleanup.connect(clean_start=True, session_expiry=0)
    cleanup.disconnect()


if __name__ == "__main__":
    main({
        "on_disconnect_with_will": on_disconnect_with_will,
        "not_on_normal_disconnect": not_on_normal_disconnect,
        "not_on_normal_disconnect_before_detach": not_on_normal_disconnect_before_detach,
        "on_connection_loss": on_connection_loss,
        "on_takeover": on_takeover,
        "delayed_on_takeover_of_expiry_zero": delayed_on_takeover_of_expiry_zero,
        "delay_published_after_delay": delay_published_after_delay,
        "delay_not_published_when_resumed": delay_not_published_when_resumed,
        "delay_published_on_clean_start": delay_published_on_clean_start,
        "delay_capped_by_session_expiry": delay_capped_by_session_expiry,
        "delay_with_session_expiry_zero": delay_with_session_expiry_zero,
    })
