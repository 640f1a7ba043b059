"""Scenarios across the nodes of a Bifro cluster (test/EndToEnd.Tests/Cluster).

Every scenario takes --param ports=P0,P1,P2 (the nodes' MQTT ports, in the test's order) and names nodes by
index. --host/--port are the first node's, as for every script. While a scenario runs the test may kill a node
(kill -9); the scenario prints "READY FOR KILL" when it wants that to happen. A client whose node is gone
reconnects the way a client behind a load balancer would: it tries the other nodes in turn, and tries again
while a node answers CONNACK "server unavailable" (the session's grain was on the dead node, which the cluster
has not yet declared dead).
"""

import threading
import time

from bifro_paho import (MQTTv311, MQTTv5, ScenarioFailed, check, check_equal, log, main, mqtt)

# A killed node is declared dead about three seconds after it stops answering probes (ProbeTimeout 1 s in the
# tests); until then, sessions whose grains it held cannot be attached. Allow for a loaded machine.
RECONNECT_SECONDS = 30.0


def node_ports(ctx):
    return [int(p) for p in ctx.params["ports"].split(",")]


def node(ctx, name):
    return ctx.int_param(name)


def protocol_of(ctx):
    return MQTTv5 if ctx.params.get("version", "5") == "5" else MQTTv311


def connect_with_retry(ctx, name, client_id, ports, protocol=MQTTv5, session_expiry=300, clean_start=False,
                       deadline=RECONNECT_SECONDS):
    """Connects a persistent session through the first of ports (tried in turn) that accepts it."""
    stop_at = time.monotonic() + deadline
    attempt = 0
    failures = []
    while True:
        port = ports[attempt % len(ports)]
        attempt += 1
        client = ctx.client(f"{name}#{attempt}", client_id=client_id, protocol=protocol,
                            clean_session=False if protocol == MQTTv311 else None, port=port)
        try:
            ack = client.connect(clean_start=clean_start, session_expiry=session_expiry, timeout=5)
            log(f"{name}: connected through port {port} after {attempt} attempt(s)")
            return client, ack
        except (ScenarioFailed, OSError) as failure:
            client.close()
            failures.append(f"port {port}: {failure}")
            if time.monotonic() > stop_at:
                raise ScenarioFailed(f"{name}: no node accepted the session within {deadline:.0f} s: {failures[-5:]}")
            time.sleep(0.3)


def payloads(messages, topic):
    return [m.text for m in messages if m.topic == topic]


# --- takeover ---------------------------------------------------------------------------------------------------

def takeover(ctx):
    """[MQTT-3.1.4-3] The same client id connects on node `first`, then on node `second`: the first connection is
    closed (5.0: DISCONNECT 0x8E), and the session, its subscription included, continues on the second node; when
    the client later comes back on the first node, what was queued meanwhile is there."""
    ports = node_ports(ctx)
    protocol = protocol_of(ctx)
    persistent = {"clean_session": False} if protocol == MQTTv311 else {}
    client_id = ctx.unique("roaming")
    topic = ctx.topic("takeover")
    first = ctx.client("first", client_id=client_id, protocol=protocol, port=ports[node(ctx, "first")], **persistent)
    first.connect(session_expiry=300)
    first.subscribe(topic, qos=1)

    second = ctx.client("second", client_id=client_id, protocol=protocol, port=ports[node(ctx, "second")], **persistent)
    ack = second.connect(clean_start=False, session_expiry=300)
    check_equal(ack.session_present, True, "session present for the connection that took over on another node")
    if protocol == MQTTv5:
        disconnect = first.wait_server_disconnect()
        check_equal(disconnect.reason, 0x8E, "DISCONNECT reason code for the connection taken over from another node")
    first.wait_closed()

    # The subscription came with the session: the second connection never subscribed.
    publisher = ctx.client("publisher", port=ports[node(ctx, "publisher")])
    publisher.connect()
    publisher.publish(topic, "to the new owner", qos=1)
    got = second.wait_message(topic, "to the new owner")
    check_equal(got.qos, 1, "QoS of the message to the session's subscription")
    check(second.mqtt.is_connected(), "the connection that took over was closed")
    check_equal(first.messages_on(topic), [], "messages to the connection that was taken over")

    # Offline, the session keeps QoS 1 messages; back on the first node, they are delivered.
    if protocol == MQTTv5:
        second.disconnect(session_expiry=300)
    else:
        second.disconnect()
    publisher.publish(topic, "while away", qos=1)
    back = ctx.client("back", client_id=client_id, protocol=protocol, port=ports[node(ctx, "first")], **persistent)
    ack = back.connect(clean_start=False, session_expiry=300)
    check_equal(ack.session_present, True, "session present back on the first node")
    back.wait_message(topic, "while away")
    if protocol == MQTTv5:
        back.disconnect(session_expiry=0)
    else:
        back.disconnect()


# --- QoS 1 messages of a persistent session through the loss of a node ------------------------------------------

def unacknowledged_survive_node_loss(ctx):
    """A persistent subscriber on node `sub` holds back its PUBACKs while `count` QoS 1 messages are published (and
    acknowledged to the publisher) on node `pub`. The test kills the subscriber's node; the subscriber reconnects
    through another node and receives every message (again): none lost, duplicates allowed."""
    ports = node_ports(ctx)
    count = ctx.int_param("count")
    client_id = ctx.unique("durable")
    topic = ctx.topic("durable")
    sub_node = node(ctx, "sub")
    subscriber = ctx.client("subscriber", client_id=client_id, port=ports[sub_node])
    subscriber.connect(session_expiry=300)
    subscriber.subscribe(topic, qos=1)
    subscriber.hold_pubacks()

    publisher = ctx.client("publisher", protocol=MQTTv311, port=ports[node(ctx, "pub")])
    publisher.connect()
    expected = [f"m{i}" for i in range(count)]
    for payload in expected:
        publisher.publish(topic, payload, qos=1)
    publisher.disconnect()
    subscriber.wait_for(lambda: len(subscriber.messages) >= 1, "a first message")
    log(f"READY FOR KILL: the subscriber holds {len(subscriber.held_pubacks())} unacknowledged message(s)")

    subscriber.wait_closed(timeout=30)
    others = [p for i, p in enumerate(ports) if i != sub_node]
    again, ack = connect_with_retry(ctx, "subscriber again", client_id, others)
    check_equal(ack.session_present, True, "session present after the node holding the connection was killed")
    wait_for_all(again, topic, expected)
    again.disconnect(session_expiry=0)


def prepare_persistent(ctx):
    """Makes a persistent session (client id named by `session`, "offline" by default) with a QoS 1 subscription on
    node `sub` and leaves it offline; the test then knows which node holds its inbox."""
    ports = node_ports(ctx)
    client_id = ctx.unique(ctx.params.get("session", "offline"))
    subscriber = ctx.client("subscriber", client_id=client_id, port=ports[node(ctx, "sub")])
    subscriber.connect(session_expiry=300)
    subscriber.subscribe(ctx.topic("offline"), qos=1)
    subscriber.disconnect(session_expiry=300)


def publish_count(ctx):
    """Publishes `count` QoS 1 messages (m0, m1, ...) on node `pub`, each acknowledged."""
    ports = node_ports(ctx)
    publisher = ctx.client("publisher", protocol=MQTTv311, port=ports[node(ctx, "pub")])
    publisher.connect()
    for i in range(ctx.int_param("count")):
        publisher.publish(ctx.topic("offline"), f"m{i}", qos=1)
    publisher.disconnect()


def receive_count(ctx):
    """The offline session comes back through the nodes listed in `via` (tried in turn) and receives all `count`."""
    ports = node_ports(ctx)
    via = [ports[int(i)] for i in ctx.params["via"].split(",")]
    again, ack = connect_with_retry(ctx, "subscriber", ctx.unique("offline"), via)
    check_equal(ack.session_present, True, "session present after a node was killed")
    wait_for_all(again, ctx.topic("offline"), [f"m{i}" for i in range(ctx.int_param("count"))])
    again.disconnect(session_expiry=0)


def wait_for_all(client, topic, expected, timeout=20.0):
    missing = lambda: sorted(set(expected) - set(payloads(client.messages, topic)), key=lambda p: int(p[1:]))
    try:
        client.wait_for(lambda: not missing(), f"all {len(expected)} messages", timeout)
    except ScenarioFailed:
        raise ScenarioFailed(f"{len(missing())} of {len(expected)} acknowledged messages never arrived: {missing()[:20]}")
    received = payloads(client.messages, topic)
    log(f"received all {len(expected)} messages ({len(received) - len(set(received))} duplicate(s))")


# --- publishing goes on while a node dies -----------------------------------------------------------------------

class RoamingSubscriber:
    """A persistent subscriber that, when its connection drops, comes back through another node."""

    def __init__(self, ctx, ports, first, topic):
        self.ctx = ctx
        self.ports = ports
        self.topic = topic
        self.client_id = ctx.unique("roaming")
        self.clients = []
        self.stopped = threading.Event()
        self.failure = None
        client = ctx.client("subscriber", client_id=self.client_id, port=ports[first])
        client.connect(session_expiry=300)
        client.subscribe(topic, qos=1)
        self.clients.append(client)
        self.node = first
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def received(self):
        result = []
        for client in list(self.clients):
            result.extend(payloads(list(client.messages), self.topic))
        return result

    def _watch(self):
        try:
            while not self.stopped.is_set():
                current = self.clients[-1]
                with current.cond:
                    current.cond.wait_for(lambda: current.disconnects, 0.2)
                    dropped = bool(current.disconnects)
                if not dropped:
                    continue
                log(f"subscriber: connection through port {current.port} lost; coming back through another node")
                order = [p for p in self.ports if p != current.port] + [current.port]
                again, ack = connect_with_retry(self.ctx, "subscriber again", self.client_id, order)
                check_equal(ack.session_present, True, "session present when the subscriber came back")
                self.clients.append(again)
        except Exception as failure:  # noqa: BLE001 - reported by the main thread
            self.failure = failure

    def stop(self):
        self.stopped.set()
        self.thread.join(5)


class RetryingPublisher:
    """A 3.1.1 QoS 1 publisher that publishes each message until it is acknowledged, reconnecting through another
    node when its connection fails. (3.1.1: a broker that cannot take a message closes the connection rather than
    acknowledging it, so every PUBACK here means the message was accepted.)"""

    def __init__(self, ctx, ports, first, topic):
        self.ctx = ctx
        self.ports = ports
        self.topic = topic
        self.port = ports[first]
        self.attempt = 0
        self.client = None
        self.retries = 0
        self._connect()

    def _connect(self):
        order = self.ports[self.ports.index(self.port):] + self.ports[:self.ports.index(self.port)]
        stop_at = time.monotonic() + RECONNECT_SECONDS
        while True:
            for port in order:
                self.attempt += 1
                client = self.ctx.client(f"publisher#{self.attempt}", protocol=MQTTv311, port=port)
                try:
                    client.connect(timeout=5)
                    self.client = client
                    self.port = port
                    return
                except (ScenarioFailed, OSError) as failure:
                    log(f"publisher: port {port} refused: {failure}")
                    client.close()
            if time.monotonic() > stop_at:
                raise ScenarioFailed("publisher: no node accepted a connection")
            time.sleep(0.3)

    def publish(self, payload):
        """Returns once the message is acknowledged."""
        while True:
            client = self.client
            info = client.mqtt.publish(self.topic, payload, qos=1)
            if info.rc == mqtt.MQTT_ERR_SUCCESS:
                with client.cond:
                    client.cond.wait_for(lambda: info.mid in client.completed or client.disconnects, 5.0)
                    if info.mid in client.completed:
                        return
            self.retries += 1
            log(f"publisher: {payload} not acknowledged through port {self.port}; publishing it again")
            client.close()
            others = [p for p in self.ports if p != self.port]
            self.port = others[0] if others else self.port
            self._connect()


def publish_during_failure(ctx):
    """A roaming persistent subscriber on node `sub`, a retrying 3.1.1 publisher on node `pub`, `count` QoS 1
    messages at an interval; after `kill_after` acknowledgements the scenario prints READY FOR KILL and the test
    kills a node. Every acknowledged message must reach the subscriber (duplicates allowed)."""
    ports = node_ports(ctx)
    count = ctx.int_param("count")
    kill_after = ctx.int_param("kill_after", 20)
    interval = ctx.int_param("interval_ms", 20) / 1000.0
    topic = ctx.topic("continuous")
    subscriber = RoamingSubscriber(ctx, ports, node(ctx, "sub"), topic)
    publisher = RetryingPublisher(ctx, ports, node(ctx, "pub"), topic)
    acknowledged = []
    for i in range(count):
        publisher.publish(f"m{i}")
        acknowledged.append(f"m{i}")
        if i + 1 == kill_after:
            log("READY FOR KILL")
        time.sleep(interval)
    log(f"published {count} messages, {publisher.retries} publish retries")

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and subscriber.failure is None:
        if not set(acknowledged) - set(subscriber.received()):
            break
        time.sleep(0.1)
    subscriber.stop()
    if subscriber.failure is not None:
        raise subscriber.failure
    received = subscriber.received()
    missing = sorted(set(acknowledged) - set(received), key=lambda p: int(p[1:]))
    log(f"subscriber: {len(set(received))} distinct, {len(received) - len(set(received))} duplicate(s), "
        f"{len(subscriber.clients)} connection(s)")
    check(not missing, f"{len(missing)} acknowledged message(s) never reached the subscriber: {missing[:30]}")
    subscriber.clients[-1].disconnect(session_expiry=0)


if __name__ == "__main__":
    main({
        "takeover": takeover,
        "unacknowledged_survive_node_loss": unacknowledged_survive_node_loss,
        "prepare_persistent": prepare_persistent,
        "publish_count": publish_count,
        "receive_count": receive_count,
        "publish_during_failure": publish_during_failure,
    })
