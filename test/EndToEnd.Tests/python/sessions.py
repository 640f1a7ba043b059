#!/usr/bin/python3
"""Persistent sessions: queued messages, redelivery with DUP, QoS 2 exactly once, session expiry, MQTT 3.1.1,
and state across a broker restart (the restart_* scenarios run in two steps, with the test restarting the
broker in between and passing the same --id to both)."""

import time

from bifro_paho import MQTTv311, check, check_equal, let_time_pass, log, main


def _subscriber(ctx, name="subscriber", topic=None, qos=1, session_expiry=60, **kwargs):
    client = ctx.client(name, client_id=ctx.unique("subscriber"), **kwargs)
    check_equal(client.connect(clean_start=False, session_expiry=session_expiry).session_present, False,
                f"{name}: session present for a new client identifier")
    if topic:
        client.subscribe(topic, qos=qos)
    return client


def _resume(ctx, name="resumed", session_expiry=60, expect_present=True):
    client = ctx.client(name, client_id=ctx.unique("subscriber"))
    check_equal(client.connect(clean_start=False, session_expiry=session_expiry).session_present, expect_present,
                f"{name}: session present on resuming")
    return client


def _publisher(ctx):
    publisher = ctx.client("publisher")
    publisher.connect()
    return publisher


def offline_qos1_qos2(ctx):
    """Section 4.1 (Session State): QoS 1 and 2 messages that arrive while a persistent session is offline are kept and
    delivered, in order and at their QoS, when it resumes."""
    topic = ctx.topic("offline")
    _subscriber(ctx, topic=topic, qos=2).disconnect()
    publisher = _publisher(ctx)
    publisher.publish(topic, "one", qos=1)
    publisher.publish(topic, "two", qos=2)
    publisher.publish(topic, "three", qos=1)

    resumed = _resume(ctx)
    messages = resumed.wait_messages(3, topic)
    # [MQTT-4.6.0-6] Order holds per topic and QoS; paho hands QoS 2 messages over on PUBREL, later than QoS 1.
    check_equal([m.text for m in messages if m.qos == 1], ["one", "three"], "QoS 1 messages in order")
    check_equal([m.text for m in messages if m.qos == 2], ["two"], "QoS 2 messages")
    check(not any(m.dup for m in messages), f"DUP set on a first delivery: {messages}")
    resumed.disconnect(session_expiry=0)


def resend_qos1_with_dup(ctx):
    """[MQTT-4.4.0-1] A QoS 1 message delivered but not acknowledged before the connection is lost is sent again
    on resuming, with DUP [MQTT-3.3.1-1] and its original Packet Identifier, and only once. paho acknowledges
    after on_message returns; the subscriber shuts its socket down inside on_message, so no PUBACK leaves."""
    topic = ctx.topic("resend")
    subscriber = _subscriber(ctx, topic=topic, qos=1)
    subscriber.on_message_hook = lambda message: subscriber.shutdown_socket()
    publisher = _publisher(ctx)
    publisher.publish(topic, "unacknowledged", qos=1)
    first = subscriber.wait_message(topic, "unacknowledged")
    check(not first.dup, f"DUP on the first delivery: {first}")
    subscriber.wait_closed()

    resumed = _resume(ctx)
    again = resumed.wait_message(topic, "unacknowledged")
    check(again.dup, f"the resent message has no DUP flag: {again}")
    check_equal(again.mid, first.mid, "Packet Identifier of the resent message")
    publisher.publish(topic, "marker", qos=1)
    resumed.wait_message(topic, "marker")
    check_equal([m.text for m in resumed.messages_on(topic)], ["unacknowledged", "marker"], "messages after resuming")
    resumed.disconnect(session_expiry=0)


def resend_qos2_before_pubrec(ctx):
    """[MQTT-4.4.0-1] A QoS 2 PUBLISH not answered with PUBREC is sent again with DUP and its Packet Identifier."""
    topic = ctx.topic("resend2")
    subscriber = _subscriber(ctx, topic=topic, qos=2)
    seen = []

    def no_pubrec(mid):
        seen.append(mid)
        subscriber.shutdown_socket()
        return 0

    subscriber.mqtt._send_pubrec = no_pubrec
    publisher = _publisher(ctx)
    publisher.publish(topic, "not received", qos=2)
    subscriber.wait_closed()
    check_equal(len(seen), 1, "PUBLISH packets before the connection was lost")

    resumed = _resume(ctx)
    again = resumed.wait_message(topic, "not received")
    check(again.dup, f"the resent QoS 2 message has no DUP flag: {again}")
    check_equal(again.mid, seen[0], "Packet Identifier of the resent message")
    resumed.disconnect(session_expiry=0)


def _drop_instead_of_pubcomp(subscriber, when):
    """Replaces paho's PUBCOMP sender: for the message when() picks, the socket is shut instead, after on_message
    (paho delivers a QoS 2 message on PUBREL) and before PUBCOMP. Returns the list of Packet Identifiers dropped."""
    send_pubcomp = subscriber.mqtt._send_pubcomp
    dropped = []

    def pubcomp(mid):
        if not dropped and when(mid):
            dropped.append(mid)
            subscriber.shutdown_socket()
            return 0
        return send_pubcomp(mid)

    subscriber.mqtt._send_pubcomp = pubcomp
    return dropped


def qos2_pubrel_resent(ctx):
    """[MQTT-4.4.0-1] 4.3.3: a QoS 2 message whose PUBREC reached the server but whose PUBCOMP did not: on resuming,
    the server sends PUBREL again with the same Packet Identifier, not the PUBLISH, so it is delivered once."""
    topic = ctx.topic("pubrel")
    subscriber = _subscriber(ctx, topic=topic, qos=2)
    dropped = _drop_instead_of_pubcomp(subscriber, lambda mid: True)
    publisher = _publisher(ctx)
    publisher.publish(topic, "once", qos=2)
    subscriber.wait_closed()
    check_equal(len(dropped), 1, "PUBCOMPs withheld")
    pubrels_before = len(subscriber.pubrels)

    # The same paho object resumes, as a client that keeps its session state does.
    check_equal(subscriber.connect(clean_start=False, session_expiry=60).session_present, True, "session present on resuming")
    subscriber.wait_for(lambda: dropped[0] in subscriber.pubrels[pubrels_before:], f"PUBREL for mid {dropped[0]} after resuming")
    publisher.publish(topic, "marker", qos=2)
    subscriber.wait_message(topic, "marker")
    check_equal([m.text for m in subscriber.messages_on(topic)], ["once", "marker"], "messages delivered")
    subscriber.disconnect(session_expiry=0)


def qos2_exactly_once(ctx):
    """4.3.3: QoS 2 through a persistent session whose connection is lost in the middle of several exchanges: every
    message reaches the application exactly once. The subscriber drops its connection instead of the second
    PUBCOMP, with the other messages at whatever stage they are, then resumes with the same paho client."""
    topic = ctx.topic("exactly-once")
    subscriber = _subscriber(ctx, topic=topic, qos=2)
    completed = []
    dropped = _drop_instead_of_pubcomp(subscriber, lambda mid: completed.append(mid) or len(completed) == 2)
    publisher = _publisher(ctx)
    for i in range(6):
        publisher.publish(topic, f"m{i}", qos=2, wait=False)
    subscriber.wait_closed()
    publisher.wait_for(lambda: len(publisher.completed) == 6, "PUBCOMP for the six messages")

    check_equal(subscriber.connect(clean_start=False, session_expiry=60).session_present, True, "session present on resuming")
    subscriber.wait_messages(6, topic)
    publisher.publish(topic, "marker", qos=2)
    subscriber.wait_message(topic, "marker")
    texts = [m.text for m in subscriber.messages_on(topic)]
    check_equal(sorted(texts), sorted([f"m{i}" for i in range(6)] + ["marker"]), f"each message exactly once (dropped at mid {dropped})")
    subscriber.disconnect(session_expiry=0)


def expired_offline_not_delivered(ctx):
    """[MQTT-3.3.2-5] A queued message whose expiry passed while the session was offline is not delivered;
    [MQTT-3.3.2-6] one still valid is delivered with its remaining interval."""
    topic = ctx.topic("expired")
    _subscriber(ctx, topic=topic, qos=1).disconnect()
    publisher = _publisher(ctx)
    publisher.publish(topic, "short-lived", qos=1, MessageExpiryInterval=1)
    publisher.publish(topic, "long-lived", qos=1, MessageExpiryInterval=60)
    let_time_pass(2.2, "the first message's expiry of 1 s")

    resumed = _resume(ctx)
    message = resumed.wait_message(topic, "long-lived")
    remaining = message.prop("MessageExpiryInterval")
    check(remaining is not None and remaining <= 58, f"remaining Message Expiry Interval after 2.2 s queued: {remaining}")
    # Queued in order, so the expired message would have come first.
    check_equal([m.text for m in resumed.messages_on(topic)], ["long-lived"], "messages delivered")
    resumed.disconnect(session_expiry=0)


def _watch(ctx, topic):
    watcher = ctx.client("watcher")
    watcher.connect()
    watcher.subscribe(topic, qos=1)
    return watcher


def session_expiry_ends_session(ctx):
    """[MQTT-3.1.2-23] A session is discarded when its expiry interval has passed after the connection closed.
    Its will (delayed past the expiry) is published as the session ends, which tells when to look."""
    topic, will_topic = ctx.topic("expires"), ctx.topic("expires-will")
    watcher = _watch(ctx, will_topic)
    subscriber = ctx.client("subscriber", client_id=ctx.unique("subscriber"))
    subscriber.connect(session_expiry=2, will={"topic": will_topic, "payload": "ended", "qos": 1,
                                               "props": {"WillDelayInterval": 60}})
    subscriber.subscribe(topic, qos=1)
    subscriber.drop()
    watcher.wait_message(will_topic, "ended", timeout=15)

    publisher = _publisher(ctx)
    publisher.publish(topic, "after the end", qos=1)
    resumed = _resume(ctx, expect_present=False)
    marker = ctx.topic("expires-marker")
    resumed.subscribe(marker, qos=1)
    publisher.publish(marker, "marker", qos=1)
    resumed.wait_message(marker)
    check_equal(resumed.messages_on(topic), [], "messages from the expired session's subscription")
    resumed.disconnect()


def _will_timed_session(ctx, connect_expiry, will_delay, disconnect_expiry):
    """Connects with a will, disconnects with 0x04 and a new Session Expiry Interval; returns when the will came."""
    will_topic = ctx.topic("will")
    watcher = _watch(ctx, will_topic)
    client = ctx.client("subscriber", client_id=ctx.unique("subscriber"))
    client.connect(session_expiry=connect_expiry, will={"topic": will_topic, "payload": "ended", "qos": 1,
                                                        "props": {"WillDelayInterval": will_delay}})
    disconnected_at = time.monotonic()
    client.disconnect(reason=0x04, session_expiry=disconnect_expiry)
    message = watcher.wait_message(will_topic, "ended", timeout=15)
    elapsed = message.received_at - disconnected_at
    log(f"will published {elapsed:.2f} s after DISCONNECT")
    return elapsed


def disconnect_expiry_shortened(ctx):
    """Section 3.14.2.2.2: DISCONNECT's Session Expiry Interval replaces CONNECT's: 60 s becomes 1 s, the
    session ends after 1 s (publishing its 60 s-delayed will then), and there is nothing to resume."""
    elapsed = _will_timed_session(ctx, connect_expiry=60, will_delay=60, disconnect_expiry=1)
    check(elapsed < 15, f"will published {elapsed:.2f} s after DISCONNECT with a 1 s session expiry")
    _resume(ctx, expect_present=False).disconnect()


def disconnect_expiry_extended(ctx):
    """DISCONNECT extends the Session Expiry Interval from 1 s to 60 s: the will comes after its own 2 s delay
    (not at 1 s, when the session would have ended), and the session can still be resumed."""
    elapsed = _will_timed_session(ctx, connect_expiry=1, will_delay=2, disconnect_expiry=60)
    check(elapsed >= 1.9, f"will published {elapsed:.2f} s after DISCONNECT, before its 2 s delay")
    _resume(ctx, expect_present=True).disconnect(session_expiry=0)


def disconnect_expiry_protocol_error(ctx):
    """[MQTT-3.14.2-2] A DISCONNECT that sets a Session Expiry Interval when CONNECT's was 0 is a Protocol Error:
    it is not a normal disconnection, so the will is published, and the session does not outlive the connection.
    (paho closes its socket right after DISCONNECT, so the server's own DISCONNECT 0x82 cannot be seen.)"""
    will_topic = ctx.topic("will")
    watcher = _watch(ctx, will_topic)
    client = ctx.client("subscriber", client_id=ctx.unique("subscriber"))
    client.connect(session_expiry=0, will={"topic": will_topic, "payload": "protocol error", "qos": 1})
    client.disconnect(reason=0x00, session_expiry=30)
    watcher.wait_message(will_topic, "protocol error")
    _resume(ctx, expect_present=False).disconnect()


def mqtt311_persistent(ctx):
    """MQTT 3.1.1 with Clean Session 0: session present [MQTT-3.2.2-2], subscriptions and QoS 1 messages kept
    while offline [MQTT-3.1.2-4/5]; Clean Session 1 discards the session [MQTT-3.1.2-6]."""
    topic = ctx.topic("v311")
    client_id = ctx.unique("v311")
    first = ctx.client("v311", client_id=client_id, protocol=MQTTv311, clean_session=False)
    check_equal(first.connect().session_present, False, "session present for a new client identifier")
    first.subscribe(topic, qos=1)
    first.disconnect()

    publisher = ctx.client("publisher", protocol=MQTTv311)
    publisher.connect()
    publisher.publish(topic, "while away", qos=1)

    second = ctx.client("v311-again", client_id=client_id, protocol=MQTTv311, clean_session=False)
    check_equal(second.connect().session_present, True, "session present on reconnecting with Clean Session 0")
    message = second.wait_message(topic, "while away")
    check_equal(message.qos, 1, "QoS of the queued message")
    second.disconnect()

    clean = ctx.client("v311-clean", client_id=client_id, protocol=MQTTv311, clean_session=True)
    check_equal(clean.connect().session_present, False, "session present with Clean Session 1")
    clean.disconnect()
    publisher.publish(topic, "nobody listens", qos=1)

    after = ctx.client("v311-after", client_id=client_id, protocol=MQTTv311, clean_session=False)
    check_equal(after.connect().session_present, False, "session present after a Clean Session 1 connection")
    marker = ctx.topic("v311-marker")
    after.subscribe(marker, qos=1)
    publisher.publish(marker, "marker", qos=1)
    after.wait_message(marker)
    check_equal(after.messages_on(topic), [], "messages for the discarded subscription")
    after.disconnect()
    ctx.client("v311-cleanup", client_id=client_id, protocol=MQTTv311, clean_session=True).connect()


def restart_prepare_subscription(ctx):
    """Step 1: a persistent session subscribes and goes offline."""
    _subscriber(ctx, session_expiry=600, topic=ctx.topic("restart"), qos=1).disconnect()


def restart_verify_subscription(ctx):
    """Step 2, after the broker restarted: the session and its subscription are still there."""
    publisher = _publisher(ctx)
    publisher.publish(ctx.topic("restart"), "after restart", qos=1)
    resumed = _resume(ctx, session_expiry=600)
    resumed.wait_message(ctx.topic("restart"), "after restart")
    resumed.disconnect(session_expiry=0)


def restart_prepare_queued(ctx):
    """Step 1: messages are queued for an offline persistent session."""
    topic = ctx.topic("restart-queued")
    _subscriber(ctx, session_expiry=600, topic=topic, qos=2).disconnect()
    publisher = _publisher(ctx)
    publisher.publish(topic, "queued 1", qos=1)
    publisher.publish(topic, "queued 2", qos=2)


def restart_verify_queued(ctx):
    """Step 2, after the broker restarted: the queued messages are delivered."""
    resumed = _resume(ctx, session_expiry=600)
    messages = resumed.wait_messages(2, ctx.topic("restart-queued"))
    check_equal([(m.text, m.qos) for m in messages], [("queued 1", 1), ("queued 2", 2)], "queued messages")
    resumed.disconnect(session_expiry=0)


if __name__ == "__main__":
    main({
        "offline_qos1_qos2": offline_qos1_qos2,
        "resend_qos1_with_dup": resend_qos1_with_dup,
        "resend_qos2_before_pubrec": resend_qos2_before_pubrec,
        "qos2_pubrel_resent": qos2_pubrel_resent,
        "qos2_exactly_once": qos2_exactly_once,
        "expired_offline_not_delivered": expired_offline_not_delivered,
        "session_expiry_ends_session": session_expiry_ends_session,
        "disconnect_expiry_shortened": disconnect_expiry_shortened,
        "disconnect_expiry_extended": disconnect_expiry_extended,
        "disconnect_expiry_protocol_error": disconnect_expiry_protocol_error,
        "mqtt311_persistent": mqtt311_persistent,
        "restart_prepare_subscription": restart_prepare_subscription,
        "restart_verify_subscription": restart_verify_subscription,
        "restart_prepare_queued": restart_prepare_queued,
        "restart_verify_queued": restart_verify_queued,
    })
