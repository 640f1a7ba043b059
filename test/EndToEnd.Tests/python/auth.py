#!/usr/bin/python3
"""Authorization with MQTT 5.0 (file provider): what a client is told when it may not publish or subscribe.

The broker runs the file provider with users alice and carol (tenant acme), bob (globex) and mallory (password "secret" for all); alice may publish and
subscribe under users/alice/# and open/#, and nobody may publish under secret/#.
"""

from bifro_paho import check, check_equal, log, main


def _client(ctx, name, user="alice", password="secret", **kwargs):
    client = ctx.client(name, **kwargs)
    client.mqtt.username_pw_set(user, password)
    client.pubacks = {}
    original = client.mqtt._handle_pubackcomp

    def handle_pubackcomp(cmd):
        packet = bytes(client.mqtt._in_packet["packet"])
        mid = int.from_bytes(packet[:2], "big")
        reason = packet[2] if len(packet) > 2 else 0
        with client.cond:
            client.pubacks[mid] = reason
            client.cond.notify_all()
        log(f"{client.name}: received {cmd} mid={mid} reason=0x{reason:02X}")
        return original(cmd)

    client.mqtt._handle_pubackcomp = handle_pubackcomp
    return client


def publish_denied_qos1(ctx):
    """A denied QoS 1 PUBLISH gets PUBACK 0x87 (Not authorized) and the connection stays; allowed ones go on."""
    alice = _client(ctx, "alice")
    alice.connect()
    info = alice.publish("secret/plans", "x", qos=1)
    alice.wait_for(lambda: info.mid in alice.pubacks, "PUBACK for the denied publish")
    check_equal(alice.pubacks[info.mid], 0x87, "PUBACK reason code for a denied publish")
    alice.subscribe("users/alice/#", qos=1)
    allowed = alice.publish("users/alice/ok", "fine", qos=1)
    alice.wait_message("users/alice/ok", "fine")
    check(alice.pubacks.get(allowed.mid) in (0x00, None), f"PUBACK for an allowed publish: {alice.pubacks}")
    check_equal(alice.server_disconnects, [], "DISCONNECT after a denied QoS 1 publish")
    alice.disconnect()


def publish_denied_qos0(ctx):
    """A denied QoS 0 PUBLISH cannot be answered with PUBACK: the server sends DISCONNECT 0x87 and closes."""
    alice = _client(ctx, "alice")
    alice.connect()
    alice.publish("secret/plans", "x", qos=0)
    disconnect = alice.wait_server_disconnect()
    check_equal(disconnect.reason, 0x87, "DISCONNECT reason code after a denied QoS 0 publish")
    alice.wait_closed()


def subscribe_per_filter(ctx):
    """SUBACK carries one code per filter: the allowed filter is granted, the denied one gets 0x87."""
    alice = _client(ctx, "alice")
    alice.connect()
    codes, _ = alice.subscribe_many([("users/alice/#", 1, False, False, 0), ("users/carol/#", 1, False, False, 0)])
    check_equal(codes, [1, 0x87], "SUBACK reason codes")

    # carol is in alice's tenant: only the refused subscription keeps her message from alice.
    carol = _client(ctx, "carol", user="carol")
    carol.connect()
    carol.publish("users/carol/x", "for carol only", qos=1)
    alice.publish("users/alice/marker", "marker", qos=1)
    alice.wait_message("users/alice/marker", "marker")
    check_equal(alice.messages_on("users/carol/x"), [], "messages on the denied filter")
    alice.disconnect()
    carol.disconnect()


if __name__ == "__main__":
    main({f.__name__: f for f in (publish_denied_qos1, publish_denied_qos0, subscribe_per_filter)})
