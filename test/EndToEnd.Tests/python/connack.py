#!/usr/bin/python3
"""CONNACK with MQTT 5.0: session present, assigned client identifier, the server's limits and keep alive."""

import time

from bifro_paho import check, check_equal, log, main, prop


def session_present(ctx):
    """[MQTT-3.2.2-2/3] Clean Start 1 never has a session; Clean Start 0 resumes a session that has not expired."""
    client_id = ctx.unique("present")
    first = ctx.client("first", client_id=client_id)
    check_equal(first.connect(clean_start=False, session_expiry=60).session_present, False,
                "clean start 0 without a stored session: session present")
    first.subscribe(ctx.topic("present"), qos=1)
    first.disconnect()

    second = ctx.client("second", client_id=client_id)
    check_equal(second.connect(clean_start=False, session_expiry=60).session_present, True,
                "clean start 0 with a stored session: session present")
    second.disconnect()

    third = ctx.client("third", client_id=client_id)
    check_equal(third.connect(clean_start=True, session_expiry=60).session_present, False,
                "clean start 1 with a stored session: session present")
    third.disconnect()

    # Clean start 1 discarded the session, subscription included: resuming now finds the new, empty session.
    fourth = ctx.client("fourth", client_id=client_id)
    check_equal(fourth.connect(clean_start=False, session_expiry=0).session_present, True,
                "clean start 0 after a clean start 1 session with expiry 60: session present")
    fourth.disconnect()


def session_present_expiry_zero(ctx):
    """[MQTT-3.1.2-23] A session with expiry 0 ends with its connection: nothing to resume afterwards, even when
    the client connects again the moment its DISCONNECT is out (repeated, as that is a race on the server)."""
    client_id = ctx.unique("transient")
    for round_number in range(5):
        first = ctx.client(f"first{round_number}", client_id=client_id)
        check_equal(first.connect(clean_start=False, session_expiry=0).session_present, False,
                    f"round {round_number}: session present after DISCONNECT of a session with expiry 0")
        first.subscribe(ctx.topic("transient"), qos=1)
        first.disconnect()


def takeover_of_session_without_expiry(ctx):
    """[MQTT-3.1.2-23] A session with expiry 0 ends with its network connection, which a takeover closes
    [MQTT-3.1.4-3]: the new connection, though Clean Start 0, gets a new session without the old subscriptions."""
    client_id = ctx.unique("transient-takeover")
    topic, marker = ctx.topic("transient-takeover"), ctx.topic("transient-takeover-marker")
    first = ctx.client("first", client_id=client_id)
    first.connect(session_expiry=0)
    first.subscribe(topic, qos=1)
    second = ctx.client("second", client_id=client_id)
    check_equal(second.connect(clean_start=False, session_expiry=0).session_present, False,
                "session present when taking over a session with expiry 0")
    first.wait_closed()
    second.subscribe(marker, qos=1)
    publisher = ctx.client("publisher")
    publisher.connect()
    publisher.publish(topic, "to the old subscription", qos=1)
    publisher.publish(marker, "marker", qos=1)
    second.wait_message(marker)
    check_equal(second.messages_on(topic), [], "messages for the ended session's subscription")
    second.disconnect()


def assigned_client_identifier(ctx):
    """[MQTT-3.2.2-16] An empty client identifier gets one assigned, told in CONNACK, and usable to resume."""
    client = ctx.client("anonymous", client_id="")
    ack = client.connect(clean_start=True, session_expiry=60)
    assigned = prop(ack.props, "AssignedClientIdentifier")
    check(assigned, f"CONNACK has no Assigned Client Identifier: {ack}")
    client.subscribe(ctx.topic("assigned"), qos=1)
    client.disconnect()

    again = ctx.client("resumed", client_id=assigned)
    check_equal(again.connect(clean_start=False, session_expiry=60).session_present, True,
                f"resuming with the assigned identifier {assigned}: session present")
    check_equal(prop(again.connacks[-1].props, "AssignedClientIdentifier"), None,
                "Assigned Client Identifier when the client sent one")
    again.disconnect(session_expiry=0)


def limits(ctx):
    """CONNACK tells the configured Topic Alias Maximum, Receive Maximum, Maximum Packet Size and Server Keep Alive."""
    client = ctx.client("limits")
    ack = client.connect(keepalive=60)
    check_equal(prop(ack.props, "TopicAliasMaximum"), ctx.int_param("topic_alias_max"), "Topic Alias Maximum")
    check_equal(prop(ack.props, "ReceiveMaximum"), ctx.int_param("receive_max"), "Receive Maximum")
    check_equal(prop(ack.props, "MaximumPacketSize"), ctx.int_param("max_packet_size"), "Maximum Packet Size")
    check_equal(prop(ack.props, "ServerKeepAlive"), ctx.int_param("server_keep_alive"), "Server Keep Alive")
    client.disconnect()


def default_limits(ctx):
    """Without configuration: Topic Alias Maximum 64, Receive Maximum 100, Maximum Packet Size 1 MiB, no Server Keep Alive."""
    client = ctx.client("defaults")
    ack = client.connect(keepalive=60)
    check_equal(prop(ack.props, "TopicAliasMaximum"), 64, "Topic Alias Maximum")
    check_equal(prop(ack.props, "ReceiveMaximum"), 100, "Receive Maximum")
    check_equal(prop(ack.props, "MaximumPacketSize"), 256 * 1024, "Maximum Packet Size")
    check_equal(prop(ack.props, "ServerKeepAlive"), None, "Server Keep Alive (the client's keep alive stands)")
    client.disconnect()


def session_expiry_clamped(ctx):
    """Section 3.2.2.3.2: a server that grants less than asked says so in CONNACK's Session Expiry Interval."""
    maximum = ctx.int_param("max_session_expiry")
    client = ctx.client("clamped")
    ack = client.connect(session_expiry=maximum + 1000)
    check_equal(prop(ack.props, "SessionExpiryInterval"), maximum, "CONNACK Session Expiry Interval")
    client.disconnect(session_expiry=0)

    within = ctx.client("within")
    ack = within.connect(session_expiry=maximum - 1)
    granted = prop(ack.props, "SessionExpiryInterval")
    check(granted in (None, maximum - 1), f"a request within the maximum is granted as asked; CONNACK says {granted}")
    within.disconnect(session_expiry=0)


def server_keep_alive_enforced(ctx):
    """[MQTT-3.2.2-21] The client must use the Server Keep Alive: a client that asked for 60 s and stays silent
    is disconnected with 0x8D after 1.5 x the server's value."""
    server_keep_alive = ctx.int_param("server_keep_alive")
    client = ctx.client("silent")
    # paho 1.6.1 ignores Server Keep Alive and would ping every 60 s: silence it entirely.
    client.mqtt._check_keepalive = lambda: None
    ack = client.connect(keepalive=60)
    connected_at = time.monotonic()
    check_equal(prop(ack.props, "ServerKeepAlive"), server_keep_alive, "Server Keep Alive")
    disconnect = client.wait_server_disconnect(timeout=server_keep_alive * 1.5 + 10)
    elapsed = time.monotonic() - connected_at
    check_equal(disconnect.reason, 0x8D, "DISCONNECT reason code")
    # [MQTT-3.1.2-22] Not before one and a half times the keep alive (less a heartbeat's tolerance).
    check(elapsed >= server_keep_alive, f"disconnected after {elapsed:.1f} s, before the keep alive of {server_keep_alive} s")
    log(f"disconnected after {elapsed:.1f} s")


if __name__ == "__main__":
    main({
        "session_present": session_present,
        "session_present_expiry_zero": session_present_expiry_zero,
        "takeover_of_session_without_expiry": takeover_of_session_without_expiry,
        "assigned_client_identifier": assigned_client_identifier,
        "limits": limits,
        "default_limits": default_limits,
        "session_expiry_clamped": session_expiry_clamped,
        "server_keep_alive_enforced": server_keep_alive_enforced,
    })
