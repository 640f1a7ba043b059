#!/usr/bin/python3
"""Maximum Packet Size and Receive Maximum, both ways (MQTT 5.0)."""

from bifro_paho import check, check_equal, main


def client_maximum_packet_size(ctx):
    """[MQTT-3.1.2-24/25] A message larger than the client's Maximum Packet Size is dropped, not sent; the
    smaller one published after it still arrives."""
    topic = ctx.topic("small")
    subscriber = ctx.client("subscriber")
    subscriber.connect(connect_props={"MaximumPacketSize": 256})
    subscriber.subscribe(topic, qos=1)
    publisher = ctx.client("publisher")
    publisher.connect()
    publisher.publish(topic, "x" * 1000, qos=1)
    publisher.publish(topic, "y" * 1000, qos=0)
    publisher.publish(topic, "small", qos=1)
    publisher.publish(topic, "small too", qos=1)
    subscriber.wait_message(topic, "small too")
    check_equal([m.text for m in subscriber.messages_on(topic)], ["small", "small too"], "messages received")
    check(subscriber.mqtt.is_connected(), "the subscriber was disconnected")


def client_maximum_packet_size_with_alias(ctx):
    """A message dropped as too large must not leave the subscriber with a Topic Alias it never received
    (3.3.2.3.4): the next message on that topic must still be resolvable."""
    topic = ctx.topic("small-alias")
    subscriber = ctx.client("subscriber")
    subscriber.connect(connect_props={"MaximumPacketSize": 256, "TopicAliasMaximum": 5})
    subscriber.subscribe(topic, qos=1)
    publisher = ctx.client("publisher")
    publisher.connect()
    publisher.publish(topic, "x" * 1000, qos=1)
    publisher.publish(topic, "small", qos=1)
    publisher.publish(topic, "small too", qos=1)
    subscriber.wait_messages(2, timeout=5)
    check(not subscriber.alias_errors, f"the subscriber got aliases it was never told: {subscriber.alias_errors}")
    check_equal([m.text for m in subscriber.messages_on(topic)], ["small", "small too"], "messages received")


def server_maximum_packet_size(ctx):
    """[MQTT-3.2.2-15] 4.13: a PUBLISH larger than the server's Maximum Packet Size: DISCONNECT 0x95."""
    maximum = ctx.int_param("max_packet_size")
    topic = ctx.topic("large")
    subscriber = ctx.client("subscriber")
    subscriber.connect()
    subscriber.subscribe(topic, qos=1)
    publisher = ctx.client("publisher")
    ack = publisher.connect()
    check_equal(ack.props.MaximumPacketSize, maximum, "CONNACK Maximum Packet Size")
    # paho 1.6.1 does not hold itself to the server's Maximum Packet Size, which is what this needs.
    publisher.publish(topic, "fits", qos=1)
    publisher.publish(topic, "x" * maximum, qos=1, wait=False)
    disconnect = publisher.wait_server_disconnect()
    check_equal(disconnect.reason, 0x95, "DISCONNECT reason code")
    subscriber.wait_message(topic, "fits")
    publisher.wait_closed()
    check_equal([m.text for m in subscriber.messages_on(topic)], ["fits"], "messages delivered")


def receive_maximum_outbound(ctx):
    """Section 3.3.4 (Flow Control), 4.9: the server sends no more unacknowledged QoS 1 messages than the client's Receive Maximum.
    The subscriber keeps its PUBACKs back; the second message must wait until the first is acknowledged."""
    topic = ctx.topic("window")
    subscriber = ctx.client("subscriber")
    subscriber.hold_pubacks()
    subscriber.connect(connect_props={"ReceiveMaximum": 1})
    subscriber.subscribe(topic, qos=1)
    publisher = ctx.client("publisher")
    publisher.connect()
    for i in range(3):
        publisher.publish(topic, f"m{i}", qos=1)

    _one_at_a_time(subscriber, topic)


def _one_at_a_time(subscriber, topic):
    for i in range(3):
        subscriber.wait_messages(i + 1, topic)
        check_equal(len(subscriber.held_pubacks()), 1, "unacknowledged messages")
        if i < 2:
            # Nothing that happens later can show that no second message is coming; give it the time to arrive.
            subscriber.quiet_for(1.0, topic, "Receive Maximum 1 with one message unacknowledged", already=i + 1)
        subscriber.release_pubacks()
    check_equal([m.text for m in subscriber.messages_on(topic)], ["m0", "m1", "m2"], "messages in order")


def receive_maximum_outbound_persistent(ctx):
    """The same for a persistent session, whose messages come through its inbox."""
    topic = ctx.topic("window-persistent")
    subscriber = ctx.client("subscriber")
    subscriber.hold_pubacks()
    subscriber.connect(session_expiry=60, connect_props={"ReceiveMaximum": 1})
    subscriber.subscribe(topic, qos=1)
    publisher = ctx.client("publisher")
    publisher.connect()
    for i in range(3):
        publisher.publish(topic, f"m{i}", qos=1)
    _one_at_a_time(subscriber, topic)
    subscriber.disconnect(session_expiry=0)


def receive_maximum_inbound(ctx):
    """Section 3.3.4, 4.9: a client with more unacknowledged QoS 2 PUBLISH packets than the server's Receive
    Maximum gets DISCONNECT 0x93. paho always answers PUBREC with PUBREL, so the PUBRELs are held back here;
    QoS 1 cannot show it because the server's PUBACK frees the slot at once."""
    maximum = ctx.int_param("receive_max")
    publisher = ctx.client("publisher")
    publisher.mqtt.max_inflight_messages_set(0)  # no client-side limit
    ack = publisher.connect()
    check_equal(ack.props.ReceiveMaximum, maximum, "CONNACK Receive Maximum")
    publisher.hold_pubrels()
    for i in range(maximum):
        publisher.publish(ctx.topic("inbound"), f"m{i}", qos=2, wait=False)
    # Each PUBREC shows that the server took the message; with PUBREL withheld, the exchange stays open.
    publisher.wait_for(lambda: len(publisher.held_pubrels()) == maximum, f"{maximum} PUBRECs")
    check_equal(publisher.server_disconnects, [], "DISCONNECT at the Receive Maximum")
    publisher.publish(ctx.topic("inbound"), "one too many", qos=2, wait=False)
    disconnect = publisher.wait_server_disconnect()
    check_equal(disconnect.reason, 0x93, "DISCONNECT reason code")


if __name__ == "__main__":
    main({
        "client_maximum_packet_size": client_maximum_packet_size,
        "client_maximum_packet_size_with_alias": client_maximum_packet_size_with_alias,
        "server_maximum_packet_size": server_maximum_packet_size,
        "receive_maximum_outbound": receive_maximum_outbound,
        "receive_maximum_outbound_persistent": receive_maximum_outbound_persistent,
        "receive_maximum_inbound": receive_maximum_inbound,
    })
