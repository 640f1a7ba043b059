#!/usr/bin/python3
"""DISCONNECT from the server (MQTT 5.0): takeover, keep alive, shutdown, protocol errors; Request Problem Information."""

import time

from paho.mqtt.subscribeoptions import SubscribeOptions

from bifro_paho import check, check_equal, log, main, prop

# Long enough for the test to stop the broker after READY; the script's watchdog still ends it first.
SHUTDOWN_WAIT = 45.0


def takeover(ctx):
    """[MQTT-3.1.4-3] A second connection with the same client identifier takes the session over; the first gets
    DISCONNECT 0x8E. A DISCONNECT may carry a Reason String even when Request Problem Information is 0
    [MQTT-3.1.2-29 allows it on CONNACK and DISCONNECT], and this one should say why."""
    client_id = ctx.unique("taken")
    topic = ctx.topic("takeover")
    first = ctx.client("first", client_id=client_id)
    first.connect(session_expiry=60, connect_props={"RequestProblemInformation": 0})
    first.subscribe(topic, qos=1)

    second = ctx.client("second", client_id=client_id)
    ack = second.connect(clean_start=False, session_expiry=60)
    check_equal(ack.session_present, True, "session present for the connection that took over")
    disconnect = first.wait_server_disconnect()
    check_equal(disconnect.reason, 0x8E, "DISCONNECT reason code for the first connection")
    check(prop(disconnect.props, "ReasonString"), f"DISCONNECT 0x8E without a Reason String: {disconnect}")
    first.wait_closed()

    # The session, subscription included, now belongs to the second connection.
    publisher = ctx.client("publisher")
    publisher.connect()
    publisher.publish(topic, "to the new owner", qos=1)
    second.wait_message(topic, "to the new owner")
    check(second.mqtt.is_connected(), "the second connection was closed")
    check_equal(first.messages_on(topic), [], "messages to the connection that was taken over")
    second.disconnect(session_expiry=0)


def keep_alive_timeout(ctx):
    """[MQTT-3.1.2-22] Nothing received for one and a half keep alive periods: DISCONNECT 0x8D."""
    client = ctx.client("silent")
    client.mqtt._check_keepalive = lambda: None  # paho would otherwise send PINGREQ
    client.connect(keepalive=1)
    connected_at = time.monotonic()
    disconnect = client.wait_server_disconnect(timeout=10)
    elapsed = time.monotonic() - connected_at
    check_equal(disconnect.reason, 0x8D, "DISCONNECT reason code")
    check(elapsed >= 1.0, f"disconnected after {elapsed:.2f} s, before the keep alive of 1 s passed")
    log(f"disconnected after {elapsed:.2f} s")


def keep_alive_pings(ctx):
    """A client that pings within its keep alive stays connected past several periods."""
    client = ctx.client("pinging")
    # 3 s, not 1: paho gives up on a broker silent for one keep alive period, and on a loaded machine the
    # CONNACK alone has taken longer than a second.
    client.connect(keepalive=3)
    topic = ctx.topic("alive")
    client.subscribe(topic, qos=0)
    # paho's PINGREQ every period is the only traffic for three keep alive periods.
    client.expect_connected_for(9.0, "pinging within the keep alive")
    client.publish(topic, "still here", qos=1)
    client.wait_message(topic, "still here")
    client.disconnect()


def server_shutdown(ctx):
    """Section 4.13.2: a server that shuts down tells 5.0 clients DISCONNECT 0x8B. Prints READY, then the test stops the broker."""
    client = ctx.client("connected")
    client.connect(session_expiry=60)
    log("READY")
    disconnect = client.wait_server_disconnect(timeout=SHUTDOWN_WAIT)
    check_equal(disconnect.reason, 0x8B, "DISCONNECT reason code")


def shared_no_local(ctx):
    """[MQTT-3.8.3-4] No Local on a shared subscription is a Protocol Error: DISCONNECT 0x82, with a Reason String
    although Request Problem Information is 0 (allowed on DISCONNECT)."""
    client = ctx.client("shared")
    client.connect(connect_props={"RequestProblemInformation": 0})
    client.mqtt.subscribe([(f"$share/group/{ctx.topic('nolocal')}", SubscribeOptions(qos=1, noLocal=True))])
    disconnect = client.wait_server_disconnect()
    check_equal(disconnect.reason, 0x82, "DISCONNECT reason code")


def problem_information_off(ctx):
    """[MQTT-3.1.2-29] With Request Problem Information 0 the server sends no Reason String or User Property on any
    packet but PUBLISH, CONNACK and DISCONNECT: here a SUBACK with a failure (0x8F for a shared subscription
    without a topic filter)."""
    for rpi in (0, 1):
        client = ctx.client(f"rpi{rpi}")
        client.connect(connect_props={"RequestProblemInformation": rpi})
        codes, props = client.subscribe_many([
            ("$share/onlygroup", 1, False, False, 0),
            (ctx.topic("fine"), 1, False, False, 0),
        ])
        check_equal(codes, [0x8F, 0x01], f"SUBACK reason codes (Request Problem Information {rpi})")
        if rpi == 0:
            check_equal(prop(props, "ReasonString"), None, "SUBACK Reason String with Request Problem Information 0")
            check_equal(prop(props, "UserProperty"), None, "SUBACK User Property with Request Problem Information 0")
        else:
            log(f"SUBACK properties with Request Problem Information 1: {props}")
        client.disconnect()


if __name__ == "__main__":
    main({
        "takeover": takeover,
        "keep_alive_timeout": keep_alive_timeout,
        "keep_alive_pings": keep_alive_pings,
        "server_shutdown": server_shutdown,
        "shared_no_local": shared_no_local,
        "problem_information_off": problem_information_off,
    })
