#!/usr/bin/python3
"""The risk detector and the deny list (issue 5 §4): malformed CONNECTs from one address get it banned; a banned
client's CONNECT is refused with 0x8A (3.1.1: 5); a connected client that a new ban matches gets DISCONNECT 0x98,
on whichever node it is; a ban ends with its time to live. The broker runs a malformed-packet rule with a small
count (--param count=N, the number of malformed CONNECTs that makes a hit)."""

import socket
import time

from bifro_paho import MQTTv5, MQTTv311, check, check_equal, log, main

# CONNECT 3.1.1 with the reserved connect flag set [MQTT-3.1.2-3]: malformed, refused before any session.
MALFORMED_CONNECT = bytes([0x10, 0x0C, 0x00, 0x04]) + b"MQTT" + bytes([0x04, 0x01, 0x00, 0x3C, 0x00, 0x00])


def send_malformed(host, port, count):
    """count raw connections, each sending one malformed CONNECT; the broker closes each without CONNACK."""
    for i in range(count):
        with socket.create_connection((host, port), timeout=10) as sock:
            sock.sendall(MALFORMED_CONNECT)
            sock.settimeout(10)
            try:
                data = sock.recv(16)
            except (ConnectionResetError, socket.timeout) as error:
                data = repr(error)
            log(f"malformed CONNECT {i + 1}/{count}: answered {data!r}")


def connect_until_refused(ctx, name, protocol, expect, seconds=10.0):
    """Connects until CONNACK says expect (the ban travels from the risk detector to every edge's replica)."""
    deadline = time.monotonic() + seconds
    attempt = 0
    while True:
        attempt += 1
        client = ctx.client(f"{name}-{attempt}", protocol=protocol)
        ack = client.connect(expect_reason=None)
        client.close()
        if ack.reason == expect:
            log(f"{name}: refused with {ack.reason:#x} on attempt {attempt}")
            return
        check(time.monotonic() < deadline, f"{name}: still {ack.reason:#x} after {seconds} s, expected {expect:#x}")
        time.sleep(0.2)


def banned_after_malformed(ctx):
    """Malformed CONNECTs from this address past the rule's count: the next CONNECT gets Banned (0x8A), 3.1.1 gets 5."""
    send_malformed(ctx.host, ctx.port, ctx.int_param("count"))
    connect_until_refused(ctx, "v5", protocol=MQTTv5, expect=0x8A)
    connect_until_refused(ctx, "v311", protocol=MQTTv311, expect=5)


def kicked_when_banned(ctx):
    """A client connected here is closed with DISCONNECT 0x98 when malformed CONNECTs sent to --param
    malformed_port (this node, or another of the cluster) get its address banned."""
    client = ctx.client("victim")
    client.connect()
    client.subscribe(ctx.topic("kick"), qos=1)
    send_malformed(ctx.host, ctx.int_param("malformed_port", ctx.port), ctx.int_param("count"))
    disconnect = client.wait_server_disconnect(timeout=15)
    check_equal(disconnect.reason, 0x98, "DISCONNECT reason code for the banned client")
    client.wait_closed()


def ban_expires(ctx):
    """Banned, then after the rule's ban duration (--param ttl seconds) the same client connects again."""
    send_malformed(ctx.host, ctx.port, ctx.int_param("count"))
    connect_until_refused(ctx, "banned", protocol=MQTTv5, expect=0x8A)
    banned_at = time.monotonic()
    ttl = ctx.int_param("ttl")
    deadline = banned_at + ttl + 15
    attempt = 0
    while True:
        attempt += 1
        client = ctx.client(f"after-{attempt}")
        ack = client.connect(expect_reason=None)
        if ack.reason == 0:
            elapsed = time.monotonic() - banned_at
            log(f"connected again after {elapsed:.1f} s (ban of {ttl} s)")
            check(elapsed >= ttl - 1.5, f"connected after {elapsed:.1f} s, before the ban of {ttl} s ended")
            client.disconnect()
            return
        client.close()
        check_equal(ack.reason, 0x8A, "CONNACK reason code while banned")
        check(time.monotonic() < deadline, f"still banned {deadline - banned_at:.0f} s after the ban began (ttl {ttl} s)")
        time.sleep(0.5)


if __name__ == "__main__":
    main({"banned_after_malformed": banned_after_malformed, "kicked_when_banned": kicked_when_banned, "ban_expires": ban_expires})
