#!/usr/bin/python3
"""Tenant limits (Bifro:Tenants), each with the reason code a client is told.

The broker runs the file provider (password "secret" for everyone) with these users and tenant settings:
- alice (tenant acme): MaxTopicLevels 3, MaxTopicLength 40, MaxUserPayloadBytes 1000, MaxSessionExpirySeconds 60,
  ReceivingMaximum 5, SessionInboxSize 3, MaxSubscriptionsPerSession 3, MaxTopicFiltersPerSub 2, MaxRetainedTopics 2
- gina (tenant globex): RetainEnabled false; otherwise the defaults (16 levels, no rate limit, ...)
- carl (tenant crowd): MaxConnections 2
- bert (tenant burst): ConnectPerSecond 1
- chad (tenant chatty): MsgPubPerSec 5
Topics here have at most three levels, so that acme's MaxTopicLevels only bites where a scenario means it to.
"""

from paho.mqtt.packettypes import PacketTypes

from bifro_paho import MQTTv311, ScenarioFailed, check, check_equal, let_time_pass, log, main

PASSWORD = "secret"


def _client(ctx, name, user, protocol=None, **kwargs):
    """A client of user, whose PUBACK and PUBREC reason codes are recorded in client.pubacks (paho 1.6.1 drops them)."""
    if protocol is not None:
        kwargs["protocol"] = protocol
    client = ctx.client(name, **kwargs)
    client.mqtt.username_pw_set(user, PASSWORD)
    client.pubacks = {}
    for handler in ("_handle_pubackcomp", "_handle_pubrec"):
        original = getattr(client.mqtt, handler)

        def record(*args, original=original, handler=handler):
            packet = bytes(client.mqtt._in_packet["packet"])
            mid = int.from_bytes(packet[:2], "big")
            reason = packet[2] if len(packet) > 2 else 0
            with client.cond:
                client.pubacks.setdefault(mid, reason)
                client.cond.notify_all()
            log(f"{client.name}: {handler} mid={mid} reason=0x{reason:02X}")
            return original(*args)

        setattr(client.mqtt, handler, record)
    return client


def _topic(ctx, name):
    return f"t/{ctx.run_id}/{name}"


def _puback(client, info):
    client.wait_for(lambda: info.mid in client.pubacks, f"acknowledgement of mid {info.mid}")
    return client.pubacks[info.mid]


def limits_differ_by_tenant(ctx):
    """The same four-level topic: past acme's MaxTopicLevels (DISCONNECT 0x90), within globex's default 16."""
    topic = _topic(ctx, "deep") + "/four"
    gina = _client(ctx, "gina", "gina")
    gina.connect()
    gina.subscribe(topic, qos=1)
    gina.publish(topic, "globex may", qos=1)
    gina.wait_message(topic, "globex may")

    alice = _client(ctx, "alice", "alice")
    alice.connect()
    alice.publish(topic, "acme may not", qos=1, wait=False)
    disconnect = alice.wait_server_disconnect()
    check_equal(disconnect.reason, 0x90, "DISCONNECT reason code past MaxTopicLevels")
    alice.wait_closed()
    gina.quiet_for(0.5, topic, "acme's message must not reach globex", already=1)
    gina.disconnect()


def topic_length(ctx):
    """A three-level topic of 41 bytes is past acme's MaxTopicLength 40: DISCONNECT 0x90; 40 bytes pass."""
    alice = _client(ctx, "alice", "alice")
    alice.connect()
    base = _topic(ctx, "")
    fits = base + "x" * (40 - len(base))
    check_equal(_puback(alice, alice.publish(fits, "40 bytes", qos=1, wait=False)), 0x10, "PUBACK at MaxTopicLength (no subscribers)")
    alice.publish(fits + "x", "41 bytes", qos=1, wait=False)
    check_equal(alice.wait_server_disconnect().reason, 0x90, "DISCONNECT reason code past MaxTopicLength")


def payload_size(ctx):
    """acme's MaxUserPayloadBytes is 1000: 1000 bytes pass, 1001 get DISCONNECT 0x95 (Packet too large)."""
    alice = _client(ctx, "alice", "alice")
    alice.connect()
    topic = _topic(ctx, "payload")
    check(_puback(alice, alice.publish(topic, "x" * 1000, qos=1, wait=False)) < 0x80, "1000 bytes accepted")
    alice.publish(topic, "x" * 1001, qos=1, wait=False)
    check_equal(alice.wait_server_disconnect().reason, 0x95, "DISCONNECT reason code past MaxUserPayloadBytes")


def connack_settings(ctx):
    """CONNACK tells each tenant its own: acme's Receive Maximum 5 and session expiry lowered to 60; globex's Retain Available 0."""
    alice = _client(ctx, "alice", "alice")
    ack = alice.connect(session_expiry=3600)
    check_equal(ack.props.ReceiveMaximum, 5, "acme: CONNACK Receive Maximum")
    check_equal(getattr(ack.props, "SessionExpiryInterval", None), 60, "acme: CONNACK Session Expiry Interval")
    check_equal(getattr(ack.props, "RetainAvailable", None), None, "acme: CONNACK Retain Available (absent: 1)")
    alice.disconnect(session_expiry=0)

    gina = _client(ctx, "gina", "gina")
    ack = gina.connect()
    check_equal(ack.props.RetainAvailable, 0, "globex: CONNACK Retain Available")
    check_equal(ack.props.ReceiveMaximum, 100, "globex: CONNACK Receive Maximum (the node's)")
    gina.disconnect()


def receive_maximum(ctx):
    """acme's ReceivingMaximum 5: a sixth unacknowledged QoS 2 PUBLISH gets DISCONNECT 0x93."""
    alice = _client(ctx, "alice", "alice")
    alice.mqtt.max_inflight_messages_set(0)
    alice.connect()
    alice.hold_pubrels()
    for i in range(5):
        alice.publish(_topic(ctx, "inflight"), f"m{i}", qos=2, wait=False)
    alice.wait_for(lambda: len(alice.held_pubrels()) == 5, "5 PUBRECs")
    check_equal(alice.server_disconnects, [], "DISCONNECT at the Receive Maximum")
    alice.publish(_topic(ctx, "inflight"), "one too many", qos=2, wait=False)
    check_equal(alice.wait_server_disconnect().reason, 0x93, "DISCONNECT reason code past ReceivingMaximum")


def retain_disabled(ctx):
    """globex's RetainEnabled false: a retained PUBLISH gets DISCONNECT 0x9A; acme's is stored."""
    gina = _client(ctx, "gina", "gina")
    gina.connect()
    gina.publish(_topic(ctx, "kept"), "x", qos=1, retain=True, wait=False)
    check_equal(gina.wait_server_disconnect().reason, 0x9A, "DISCONNECT reason code for a retained PUBLISH")


def will_retain_disabled(ctx):
    """globex's RetainEnabled false: a CONNECT whose will is retained gets CONNACK 0x9A."""
    gina = _client(ctx, "gina", "gina")
    gina.connect(will={"topic": _topic(ctx, "will"), "payload": "bye", "retain": True}, expect_reason=0x9A)


def retained_quota(ctx):
    """acme's MaxRetainedTopics 2: a third retained topic is delivered but not kept (PUBACK 0x97); replacing one is fine."""
    alice = _client(ctx, "alice", "alice")
    alice.connect()
    topics = [_topic(ctx, f"r{i}") for i in range(3)]
    alice.subscribe(_topic(ctx, "+"), qos=1)
    for i in range(2):
        check(_puback(alice, alice.publish(topics[i], f"kept {i}", qos=1, retain=True, wait=False)) < 0x80, f"retained topic {i} stored")
    check_equal(_puback(alice, alice.publish(topics[2], "not kept", qos=1, retain=True, wait=False)), 0x97, "PUBACK past MaxRetainedTopics")
    alice.wait_message(topics[2], "not kept")  # delivered all the same
    check(_puback(alice, alice.publish(topics[0], "replaced", qos=1, retain=True, wait=False)) < 0x80, "replacing a retained topic")
    alice.disconnect()

    late = _client(ctx, "late", "alice")
    late.connect()
    late.subscribe(_topic(ctx, "+"), qos=1)
    late.wait_message(topics[0], "replaced")
    late.wait_message(topics[1], "kept 1")
    late.quiet_for(0.5, topics[2], "the topic past the quota was not retained")
    late.disconnect()


def subscriptions_per_session(ctx):
    """acme's MaxSubscriptionsPerSession 3: a fourth filter gets SUBACK 0x97 (3.1.1: 0x80); renewing one of the three is fine."""
    protocol = ctx.params.get("protocol", "5")
    alice = _client(ctx, "alice", "alice", protocol=MQTTv311 if protocol == "311" else None)
    alice.connect()
    for i in range(3):
        alice.subscribe(_topic(ctx, f"s{i}"), qos=1)
    codes, _ = alice.subscribe_many([(_topic(ctx, "s3"), 1, False, False, 0)])
    check_equal(codes, [0x80 if protocol == "311" else 0x97], "SUBACK for a fourth subscription")
    alice.subscribe(_topic(ctx, "s0"), qos=0)
    alice.disconnect()


def filters_per_subscribe(ctx):
    """acme's MaxTopicFiltersPerSub 2: a SUBSCRIBE with three filters gets DISCONNECT 0x97."""
    alice = _client(ctx, "alice", "alice")
    alice.connect()
    filters = [(_topic(ctx, f"f{i}"), 1) for i in range(3)]
    alice.mqtt.subscribe(filters)
    check_equal(alice.wait_server_disconnect().reason, 0x97, "DISCONNECT reason code past MaxTopicFiltersPerSub")


def filter_limits(ctx):
    """acme's MaxTopicLevels 3 applies to filters one by one: the deep filter gets SUBACK 0x8F, the other is granted."""
    alice = _client(ctx, "alice", "alice")
    alice.connect()
    codes, _ = alice.subscribe_many([(_topic(ctx, "ok"), 1, False, False, 0), (_topic(ctx, "x") + "/#", 1, False, False, 0)])
    check_equal(codes, [1, 0x8F], "SUBACK reason codes")
    alice.disconnect()


def publish_rate(ctx):
    """chatty's MsgPubPerSec 5: a burst of 30 QoS 0 PUBLISH packets gets DISCONNECT 0x96 (3.1.1: the connection closes)."""
    protocol = ctx.params.get("protocol", "5")
    chad = _client(ctx, "chad", "chad", protocol=MQTTv311 if protocol == "311" else None)
    chad.connect()
    for i in range(30):
        chad.mqtt.publish(_topic(ctx, "rate"), f"m{i}", qos=0)
    if protocol == "311":
        closed = chad.wait_closed()
        check(not closed.from_server, f"3.1.1 has no DISCONNECT from the server: {closed}")
    else:
        check_equal(chad.wait_server_disconnect().reason, 0x96, "DISCONNECT reason code past MsgPubPerSec")


def connect_rate(ctx):
    """burst's ConnectPerSecond 1: a second CONNECT within the second gets CONNACK 0x9F (3.1.1: 3)."""
    protocol = ctx.params.get("protocol", "5")
    version = MQTTv311 if protocol == "311" else None
    let_time_pass(1.1, "a full second's allowance for the tenant")
    first = _client(ctx, "first", "bert", protocol=version)
    first.connect()
    second = _client(ctx, "second", "bert", protocol=version)
    second.connect(expect_reason=3 if protocol == "311" else 0x9F)
    first.disconnect()


def max_connections(ctx):
    """crowd's MaxConnections 2: a third connection gets CONNACK 0x97 (3.1.1: 3); once one closes, it connects."""
    protocol = ctx.params.get("protocol", "5")
    version = MQTTv311 if protocol == "311" else None
    one = _client(ctx, "one", "carl", protocol=version)
    one.connect()
    two = _client(ctx, "two", "carl", protocol=version)
    two.connect()
    three = _client(ctx, "three", "carl", protocol=version)
    three.connect(expect_reason=3 if protocol == "311" else 0x97)

    # A reconnect of a connected session takes its own slot over: no third slot needed.
    again = _client(ctx, "again", "carl", protocol=version, client_id=two.client_id)
    again.connect()

    one.disconnect()
    # The slot goes back when the broker has closed the connection, a moment after DISCONNECT.
    for attempt in range(50):
        late = _client(ctx, f"late{attempt}", "carl", protocol=version)
        try:
            late.connect(expect_reason=0)
            log(f"connected after {attempt + 1} attempt(s)")
            return
        except ScenarioFailed as failure:
            log(f"attempt {attempt + 1}: {failure}")
            late.close()
            let_time_pass(0.2, "the released slot")
    raise ScenarioFailed("the slot of the closed connection never came back")


def inbox_size(ctx):
    """acme's SessionInboxSize 3: an offline persistent session keeps the 3 newest of 5 messages."""
    topic = _topic(ctx, "inbox")
    sleeper = _client(ctx, "sleeper", "alice")
    sleeper.connect(session_expiry=60)
    sleeper.subscribe(topic, qos=1)
    sleeper.disconnect()

    publisher = _client(ctx, "publisher", "alice")
    publisher.connect()
    for i in range(5):
        publisher.publish(topic, f"m{i}", qos=1)
    publisher.disconnect()

    woken = _client(ctx, "woken", "alice", client_id=sleeper.client_id)
    ack = woken.connect(clean_start=False, session_expiry=60)
    check(ack.session_present, "the session is still there")
    received = woken.wait_messages(3, topic)
    woken.quiet_for(0.5, topic, "only the inbox's 3 messages", already=3)
    check_equal([m.text for m in received], ["m2", "m3", "m4"], "messages kept by the inbox")
    woken.disconnect(session_expiry=0)


if __name__ == "__main__":
    main({f.__name__: f for f in (
        limits_differ_by_tenant, topic_length, payload_size, connack_settings, receive_maximum, retain_disabled,
        will_retain_disabled, retained_quota, subscriptions_per_session, filters_per_subscribe, filter_limits,
        publish_rate, connect_rate, max_connections, inbox_size)})
