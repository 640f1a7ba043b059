#!/usr/bin/python3
"""Topic aliases in both directions (MQTT 5.0, 3.3.2.3.4)."""

from bifro_paho import check, check_equal, main


def client_to_server(ctx):
    """Section 3.3.2.3.4: a PUBLISH with topic and alias sets the alias; later ones with the alias only are delivered
    to subscribers with the full topic. An alias can be set again to another topic."""
    first_topic, second_topic = ctx.topic("alias/one"), ctx.topic("alias/two")
    subscriber = ctx.client("subscriber")
    subscriber.connect()
    subscriber.subscribe(ctx.topic("alias/#"), qos=1)

    publisher = ctx.client("publisher")
    publisher.connect()
    publisher.publish(first_topic, "set", qos=1, TopicAlias=1)
    publisher.publish("", "alias only", qos=1, TopicAlias=1)
    publisher.publish("", "alias only, QoS 0", qos=0, TopicAlias=1)
    publisher.publish(second_topic, "reset", qos=1, TopicAlias=1)
    publisher.publish("", "alias only, reset", qos=1, TopicAlias=1)

    messages = subscriber.wait_messages(5)
    check_equal([(m.topic, m.text) for m in messages], [
        (first_topic, "set"),
        (first_topic, "alias only"),
        (first_topic, "alias only, QoS 0"),
        (second_topic, "reset"),
        (second_topic, "alias only, reset"),
    ], "delivered topics and payloads")
    check(all(m.raw_topic for m in messages), "the subscriber asked for no aliases, yet a PUBLISH came without a topic")
    publisher.disconnect()


def client_alias_above_maximum(ctx):
    """[MQTT-3.3.2-9] An alias above the server's Topic Alias Maximum: DISCONNECT 0x94 (Topic Alias invalid)."""
    publisher = ctx.client("publisher")
    ack = publisher.connect()
    maximum = ack.props.TopicAliasMaximum
    check_equal(maximum, ctx.int_param("topic_alias_max", maximum), "Topic Alias Maximum")
    publisher.publish(ctx.topic("alias/max"), "at the maximum", qos=1, TopicAlias=maximum)
    publisher.publish(ctx.topic("alias/over"), "over the maximum", qos=1, TopicAlias=maximum + 1, wait=False)
    disconnect = publisher.wait_server_disconnect()
    check_equal(disconnect.reason, 0x94, "DISCONNECT reason code")


def server_to_client(ctx):
    """[MQTT-3.3.2-11] 3.3.2.3.4: a subscriber with Topic Alias Maximum gets the first message on a topic with topic and alias
    and later ones with the alias alone; never an alias above its maximum; each resolves to the published topic."""
    topics = [ctx.topic(f"out/{name}") for name in ("a", "b", "c")]
    subscriber = ctx.client("subscriber")
    subscriber.connect(connect_props={"TopicAliasMaximum": 2})
    subscriber.subscribe(ctx.topic("out/#"), qos=1)

    publisher = ctx.client("publisher")
    publisher.connect()
    sent = []
    for round_number in range(3):
        for topic in topics:
            payload = f"{topic.rsplit('/', 1)[1]}{round_number}"
            publisher.publish(topic, payload, qos=round_number % 2)
            sent.append((topic, payload))

    messages = subscriber.wait_messages(len(sent))
    check(not subscriber.alias_errors, f"unresolvable aliases: {subscriber.alias_errors}")
    check_equal([(m.topic, m.text) for m in messages], sent, "resolved topics and payloads")
    aliases = [m.prop("TopicAlias") for m in messages]
    check(all(a is None or 1 <= a <= 2 for a in aliases), f"an alias outside 1..2: {aliases}")
    first = messages[0]
    check(first.raw_topic == topics[0] and first.prop("TopicAlias") is not None,
          f"the first message should carry both topic and alias: {first}")
    later = [m for m in messages[3:] if m.topic == topics[0]]
    check(all(m.raw_topic == "" and m.prop("TopicAlias") == first.prop("TopicAlias") for m in later),
          f"later messages on {topics[0]} should carry the alias alone: {later}")
    publisher.disconnect()
    subscriber.disconnect()


def server_alias_not_sent_without_maximum(ctx):
    """[MQTT-3.3.2-11] A client that sent no Topic Alias Maximum (0) never receives a Topic Alias."""
    topic = ctx.topic("noalias")
    subscriber = ctx.client("subscriber")
    subscriber.connect()
    subscriber.subscribe(topic, qos=0)
    publisher = ctx.client("publisher")
    publisher.connect()
    for i in range(3):
        publisher.publish(topic, f"m{i}", qos=1)
    messages = subscriber.wait_messages(3)
    check(all(m.prop("TopicAlias") is None and m.raw_topic == topic for m in messages),
          f"a Topic Alias was sent to a client that allows none: {messages}")
    publisher.disconnect()
    subscriber.disconnect()


if __name__ == "__main__":
    main({
        "client_to_server": client_to_server,
        "client_alias_above_maximum": client_alias_above_maximum,
        "server_to_client": server_to_client,
        "server_alias_not_sent_without_maximum": server_alias_not_sent_without_maximum,
    })
