"""Shared helpers for Bifro's end-to-end scripts driven by paho-mqtt 1.6.1 (Debian's python3-paho-mqtt).

Every script has one or more scenarios; the C# tests run "script.py --host H --port P <scenario> [--param k=v]"
and expect exit code 0. A scenario that does not hold raises ScenarioFailed, which prints "FAIL: ..." and exits
1; anything unexpected exits 2 with a traceback. Every wait has a deadline; a watchdog ends the script before the
test runner's 60-second cap, so that what was seen so far is still printed.

Why not loop_start() alone: with reconnect_on_failure left on, paho's network thread reconnects by itself after
the server closes the connection, which would hide a DISCONNECT and, after a takeover, take the session back.
Clients here are made with reconnect_on_failure=False, so the thread ends with the connection and each
connect() starts a new one.

What paho 1.6.1 does not do, and this module does instead:
- It does not resolve Topic Aliases the server sends: a PUBLISH with an alias and an empty topic reaches
  on_message with topic "". Client resolves them per connection (Message.topic; Message.raw_topic is what came).
- It exposes neither the reason code and properties of PUBACK/PUBCOMP nor a DISCONNECT whose remaining length
  is 1 or 2 (reason code only): Client records every DISCONNECT from the server itself.
- It has no manual acknowledgement: Client.hold_pubacks() replaces its PUBACK sender so a test can release acks.
"""

import argparse
import os
import socket
import sys
import threading
import time
import traceback
import uuid

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCodes
from paho.mqtt.subscribeoptions import SubscribeOptions

# Long enough for a loaded 2-core machine; every wait that should succeed normally takes milliseconds.
TIMEOUT = 10.0

# The test runner kills a script at 60 seconds; stop first so that the log reaches the test output.
WATCHDOG_SECONDS = 55.0

MQTTv5 = mqtt.MQTTv5
MQTTv311 = mqtt.MQTTv311

_started = time.monotonic()
_log_lock = threading.Lock()


class ScenarioFailed(Exception):
    """The broker did not do what the scenario expects."""


def log(text):
    with _log_lock:
        sys.stdout.write(f"[{time.monotonic() - _started:6.2f}] {text}\n")
        sys.stdout.flush()


def check(condition, message):
    if not condition:
        raise ScenarioFailed(message)


def check_equal(actual, expected, what):
    if actual != expected:
        raise ScenarioFailed(f"{what}: expected {expected!r}, got {actual!r}")


def let_time_pass(seconds, why):
    """For behaviour defined by elapsed time (expiry, delays): there is nothing to wait for but the clock."""
    log(f"letting {seconds:.1f} s pass: {why}")
    time.sleep(seconds)


def properties(packet_type, **values):
    """Properties(packet_type) with the given values; UserProperty takes a list of (name, value) pairs."""
    result = Properties(packet_type)
    for name, value in values.items():
        if value is None:
            continue
        setattr(result, name, value)
    return result


def prop(props, name, default=None):
    """A property of a received packet, or default when absent (or when there are no properties)."""
    if props is None:
        return default
    return getattr(props, name, default)


class ConnAck:
    def __init__(self, session_present, reason, props):
        self.session_present = session_present
        self.reason = reason
        self.props = props

    def __repr__(self):
        return f"CONNACK(session present={self.session_present}, reason=0x{self.reason:02X}, properties={self.props})"


class Disconnect:
    """A DISCONNECT the server sent (from_server) or the end of the connection as paho reported it."""

    def __init__(self, from_server, reason, props):
        self.from_server = from_server
        self.reason = reason
        self.props = props

    def __repr__(self):
        source = "DISCONNECT from server" if self.from_server else "connection closed"
        return f"{source}(reason=0x{self.reason:02X}, properties={self.props})"


class Message:
    def __init__(self, message, topic, raw_topic):
        self.topic = topic
        self.raw_topic = raw_topic
        self.payload = bytes(message.payload)
        self.qos = message.qos
        self.retain = bool(message.retain)
        self.dup = bool(message.dup)
        self.mid = message.mid
        self.props = getattr(message, "properties", None)  # absent before MQTT 5.0
        self.received_at = time.monotonic()

    def prop(self, name, default=None):
        return prop(self.props, name, default)

    @property
    def text(self):
        return self.payload.decode("utf-8", errors="replace")

    def __repr__(self):
        text = self.text if len(self.payload) <= 80 else f"{self.text[:40]}... ({len(self.payload)} bytes)"
        return (f"PUBLISH(topic={self.topic!r}, raw topic={self.raw_topic!r}, payload={text!r}, qos={self.qos}, "
                f"retain={self.retain}, dup={self.dup}, properties={self.props})")


def _reason_value(rc):
    return rc.value if isinstance(rc, ReasonCodes) else int(rc)


class Client:
    """A paho client with its events recorded under one condition variable, and waits with deadlines."""

    def __init__(self, ctx, name, client_id=None, protocol=MQTTv5, clean_session=None, port=None):
        self.ctx = ctx
        self.name = name
        self.client_id = ctx.unique(name) if client_id is None else client_id
        # The broker's port unless given: a cluster's nodes each have one, and connect(port=...) picks another.
        self.port = ctx.port if port is None else port
        self.protocol = protocol
        self.cond = threading.Condition()
        self.connacks = []
        self.disconnects = []
        self.server_disconnects = []
        self.pubrels = []
        self.messages = []
        self.subacks = {}
        self.completed = set()
        self.alias_errors = []
        self.on_message_hook = None
        self._aliases = {}
        self._held_pubacks = None
        self._held_pubrels = None
        self._send_puback = None
        kwargs = {"client_id": self.client_id, "protocol": protocol, "reconnect_on_failure": False}
        if protocol != MQTTv5:
            kwargs["clean_session"] = True if clean_session is None else clean_session
        self.mqtt = mqtt.Client(**kwargs)
        self.mqtt.on_connect = self._on_connect
        self.mqtt.on_disconnect = self._on_disconnect
        self.mqtt.on_message = self._on_message
        self.mqtt.on_subscribe = self._on_subscribe
        self.mqtt.on_publish = self._on_publish
        # paho calls self._handle_disconnect(); an instance attribute takes precedence over the method.
        original_disconnect = self.mqtt._handle_disconnect

        def handle_disconnect():
            packet = bytes(self.mqtt._in_packet["packet"])
            reason = packet[0] if len(packet) > 0 else 0
            props = None
            if len(packet) > 1:
                props = Properties(PacketTypes.DISCONNECT)
                props.unpack(packet[1:])
            with self.cond:
                self.server_disconnects.append(Disconnect(True, reason, props))
                self.cond.notify_all()
            log(f"{self.name}: received DISCONNECT 0x{reason:02X} {props}")
            return original_disconnect()

        self.mqtt._handle_disconnect = handle_disconnect

        original_pubrel = self.mqtt._handle_pubrel

        def handle_pubrel():
            mid = int.from_bytes(bytes(self.mqtt._in_packet["packet"][:2]), "big")
            with self.cond:
                self.pubrels.append(mid)
                self.cond.notify_all()
            log(f"{self.name}: received PUBREL mid={mid}")
            return original_pubrel()

        self.mqtt._handle_pubrel = handle_pubrel
        ctx.clients.append(self)

    # --- callbacks (paho's network thread) ---

    def _on_connect(self, client, userdata, flags, rc, props=None):
        ack = ConnAck(bool(flags.get("session present")), _reason_value(rc), props)
        with self.cond:
            self.connacks.append(ack)
            self.cond.notify_all()
        log(f"{self.name}: {ack}")

    def _on_disconnect(self, client, userdata, rc, props=None):
        event = Disconnect(isinstance(rc, ReasonCodes), _reason_value(rc), props)
        with self.cond:
            self.disconnects.append(event)
            self.cond.notify_all()
        log(f"{self.name}: {event}")

    def _on_message(self, client, userdata, message):
        try:
            self._record_message(message)
        except Exception:  # noqa: BLE001 - paho's thread would die quietly; make the script fail loudly instead
            self.ctx.script_errors.append(traceback.format_exc())
            log(f"{self.name}: ERROR in on_message:\n{traceback.format_exc()}")

    def _record_message(self, message):
        raw = bytes(message._topic)
        alias = prop(getattr(message, "properties", None), "TopicAlias") if self.protocol == MQTTv5 else None
        topic = raw.decode("utf-8")
        if alias is not None:
            # 3.3.2.3.4: a topic with an alias sets it; an empty topic uses it.
            if raw:
                self._aliases[alias] = topic
            elif alias in self._aliases:
                topic = self._aliases[alias]
            else:
                self.alias_errors.append(f"alias {alias} used before the server set it")
        received = Message(message, topic, raw.decode("utf-8"))
        log(f"{self.name}: {received}")
        if self.on_message_hook is not None:
            self.on_message_hook(received)
        with self.cond:
            self.messages.append(received)
            self.cond.notify_all()

    def _on_subscribe(self, client, userdata, mid, reasons, props=None):
        codes = [_reason_value(r) for r in reasons]
        with self.cond:
            self.subacks[mid] = (codes, props)
            self.cond.notify_all()
        log(f"{self.name}: SUBACK mid={mid} {['0x%02X' % c for c in codes]} {props}")

    def _on_publish(self, client, userdata, mid):
        with self.cond:
            self.completed.add(mid)
            self.cond.notify_all()

    # --- waiting ---

    def wait_for(self, predicate, what, timeout=TIMEOUT):
        """Waits until predicate() holds (called under the lock); fails with what was seen after the deadline."""
        with self.cond:
            if self.cond.wait_for(predicate, timeout):
                return
            seen = "\n  ".join(repr(m) for m in self.messages[-20:]) or "(no messages)"
            events = self.connacks + self.disconnects
            raise ScenarioFailed(f"{self.name}: no {what} within {timeout:.1f} s; messages so far:\n  {seen}\n"
                                 f"  connection events: {events}")

    def wait_messages(self, count, topic=None, timeout=TIMEOUT):
        """Waits for count messages (on topic, if given) and returns them."""
        selected = lambda: [m for m in self.messages if topic is None or m.topic == topic]
        self.wait_for(lambda: len(selected()) >= count, f"{count} message(s) on {topic or 'any topic'}", timeout)
        with self.cond:
            return selected()

    def wait_message(self, topic, payload=None, timeout=TIMEOUT):
        def find():
            for m in self.messages:
                if m.topic == topic and (payload is None or m.payload == _bytes(payload)):
                    return m
            return None

        self.wait_for(lambda: find() is not None, f"message {payload!r} on {topic}", timeout)
        with self.cond:
            return find()

    def messages_on(self, topic):
        with self.cond:
            return [m for m in self.messages if m.topic == topic]

    def quiet_for(self, seconds, topic, why, already=0):
        """Asserts that no more than `already` messages arrive on topic within seconds: for the few cases where
        no later event can show that nothing more is coming (the condition is re-checked at every arrival)."""
        log(f"{self.name}: expecting no more than {already} message(s) on {topic} for {seconds:.1f} s: {why}")
        with self.cond:
            arrived = self.cond.wait_for(lambda: len(self.messages_on(topic)) > already, seconds)
        check(not arrived, f"{self.name}: unexpected message on {topic} ({why}): {self.messages_on(topic)}")

    def expect_connected_for(self, seconds, why):
        """Asserts that the connection stays open for seconds."""
        log(f"{self.name}: expecting to stay connected for {seconds:.1f} s: {why}")
        with self.cond:
            closed = self.cond.wait_for(lambda: len(self.disconnects) > 0, seconds)
        check(not closed, f"{self.name}: disconnected ({why}): {self.disconnects} {self.server_disconnects}")

    def wait_server_disconnect(self, timeout=TIMEOUT):
        self.wait_for(lambda: len(self.server_disconnects) > 0, "DISCONNECT from the server", timeout)
        return self.server_disconnects[0]

    def wait_closed(self, timeout=TIMEOUT):
        self.wait_for(lambda: len(self.disconnects) > 0, "end of the connection", timeout)
        return self.disconnects[-1]

    # --- actions ---

    def connect(self, clean_start=True, session_expiry=None, keepalive=None, expect_reason=0, will=None,
                connect_props=None, timeout=TIMEOUT, port=None):
        """Connects and waits for CONNACK (checking its reason code unless expect_reason is None).
        connect_props: more CONNECT properties by name (ReceiveMaximum=1, ...).
        will: dict(topic, payload, qos, retain, props) with props a dict of will properties (WillDelayInterval, ...)."""
        if keepalive is None:
            keepalive = self.ctx.int_param("keepalive", 30)
        if port is not None:
            self.port = port
        self.mqtt.loop_stop()
        with self.cond:
            before = len(self.connacks)
            self.disconnects.clear()
            self.server_disconnects.clear()
            self._aliases = {}
        if will is not None:
            will_props = None
            if self.protocol == MQTTv5 and will.get("props"):
                will_props = properties(PacketTypes.WILLMESSAGE, **will["props"])
            self.mqtt.will_set(will["topic"], will.get("payload", "will"), will.get("qos", 0), will.get("retain", False),
                               properties=will_props)
        else:
            self.mqtt.will_clear()
        if self.protocol == MQTTv5:
            values = dict(connect_props or {})
            if session_expiry is not None:
                values["SessionExpiryInterval"] = session_expiry
            props = properties(PacketTypes.CONNECT, **values) if values else None
            self.mqtt.connect(self.ctx.host, self.port, keepalive, clean_start=clean_start, properties=props)
        else:
            self.mqtt.connect(self.ctx.host, self.port, keepalive)
        self.mqtt.loop_start()
        self.wait_for(lambda: len(self.connacks) > before, "CONNACK", timeout)
        ack = self.connacks[before]
        if expect_reason is not None:
            check_equal(ack.reason, expect_reason, f"{self.name}: CONNACK reason code")
        return ack

    def subscribe(self, topic_filter, qos=1, no_local=False, retain_as_published=False, retain_handling=0,
                  subscription_id=None, user_properties=None, expect=None):
        """Subscribes to one filter and waits for SUBACK; checks the reason code (the granted QoS unless expect says)."""
        codes, props = self.subscribe_many([(topic_filter, qos, no_local, retain_as_published, retain_handling)],
                                           subscription_id=subscription_id, user_properties=user_properties)
        check_equal(codes[0], qos if expect is None else expect, f"{self.name}: SUBACK reason code for {topic_filter}")
        return codes, props

    def subscribe_many(self, entries, subscription_id=None, user_properties=None):
        if self.protocol == MQTTv5:
            topics = [(f, SubscribeOptions(qos=q, noLocal=nl, retainAsPublished=rap, retainHandling=rh))
                      for (f, q, nl, rap, rh) in entries]
            props = None
            if subscription_id is not None or user_properties:
                props = properties(PacketTypes.SUBSCRIBE, SubscriptionIdentifier=subscription_id,
                                   UserProperty=user_properties)
            rc, mid = self.mqtt.subscribe(topics, properties=props)
        else:
            rc, mid = self.mqtt.subscribe([(f, q) for (f, q, _, _, _) in entries])
        check_equal(rc, mqtt.MQTT_ERR_SUCCESS, f"{self.name}: subscribe() result")
        self.wait_for(lambda: mid in self.subacks, f"SUBACK for mid {mid}")
        return self.subacks[mid]

    def publish(self, topic, payload, qos=0, retain=False, wait=True, **props):
        """Publishes; props are PUBLISH properties by name. For QoS 1/2 waits for PUBACK/PUBCOMP unless wait=False."""
        p = properties(PacketTypes.PUBLISH, **props) if props and self.protocol == MQTTv5 else None
        info = self.mqtt.publish(topic, payload, qos=qos, retain=retain, properties=p)
        check_equal(info.rc, mqtt.MQTT_ERR_SUCCESS, f"{self.name}: publish() result for {topic}")
        if qos > 0 and wait:
            self.wait_for(lambda: info.mid in self.completed, f"acknowledgement of mid {info.mid} on {topic}")
        return info

    def disconnect(self, reason=0, session_expiry=None):
        """Sends DISCONNECT (with a reason code and session expiry for 5.0) and waits until paho has closed."""
        if self.protocol == MQTTv5:
            props = properties(PacketTypes.DISCONNECT, SessionExpiryInterval=session_expiry) if session_expiry is not None else None
            self.mqtt.disconnect(reasoncode=ReasonCodes(PacketTypes.DISCONNECT, identifier=reason), properties=props)
        else:
            self.mqtt.disconnect()
        self.wait_closed()
        self.mqtt.loop_stop()

    def drop(self):
        """Ends the connection without DISCONNECT, as a network failure or a crash does."""
        self.shutdown_socket()
        self.wait_closed()
        self.mqtt.loop_stop()

    def shutdown_socket(self):
        """Shuts the socket down at once; safe from a paho callback, where it keeps the pending acknowledgement from being sent."""
        sock = self.mqtt.socket()
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def hold_pubacks(self):
        """From now on PUBACKs are kept back until release_pubacks(): paho 1.6.1 has no manual acknowledgement."""
        self._held_pubacks = []
        self._send_puback = self.mqtt._send_puback

        def held(mid):
            with self.cond:
                self._held_pubacks.append(mid)
                self.cond.notify_all()
            return mqtt.MQTT_ERR_SUCCESS

        self.mqtt._send_puback = held

    def hold_pubrels(self):
        """From now on PUBRELs are not sent (PUBREC received, exchange left open); held_pubrels() lists them."""
        self._held_pubrels = []

        def held(mid):
            with self.cond:
                self._held_pubrels.append(mid)
                self.cond.notify_all()
            return mqtt.MQTT_ERR_SUCCESS

        self.mqtt._send_pubrel = held

    def held_pubrels(self):
        with self.cond:
            return list(self._held_pubrels)

    def held_pubacks(self):
        with self.cond:
            return list(self._held_pubacks)

    def release_pubacks(self, count=None):
        with self.cond:
            release = self._held_pubacks if count is None else self._held_pubacks[:count]
            self._held_pubacks = self._held_pubacks[len(release):]
        for mid in release:
            log(f"{self.name}: releasing PUBACK for mid {mid}")
            self._send_puback(mid)

    def close(self):
        # Socket first: paho's thread only stops by itself once nothing is in flight, which a failed scenario
        # may well have left.
        try:
            self.shutdown_socket()
            self.mqtt.loop_stop()
            sock = self.mqtt.socket()
            if sock is not None:
                sock.close()
        except Exception:  # noqa: BLE001 - cleanup after a failure must not hide it
            pass


def _bytes(payload):
    return payload.encode("utf-8") if isinstance(payload, str) else bytes(payload)


class Context:
    def __init__(self, args):
        self.host = args.host
        self.port = args.port
        self.run_id = args.id or uuid.uuid4().hex[:10]
        self.params = dict(p.split("=", 1) for p in args.param)
        self.clients = []
        self.script_errors = []

    def unique(self, name):
        """An id or topic prefix unique to this run (or shared by the runs of one test that pass the same --id)."""
        return f"paho-{self.run_id}-{name}"

    def topic(self, name):
        return f"e2e/paho/{self.run_id}/{name}"

    def client(self, name, **kwargs):
        return Client(self, name, **kwargs)

    def int_param(self, name, default=None):
        if name in self.params:
            return int(self.params[name])
        if default is None:
            raise ScenarioFailed(f"missing --param {name}=...")
        return default

    def close(self):
        for client in self.clients:
            client.close()


def main(scenarios):
    """Runs the scenario named on the command line; exit code 0 when it holds."""
    parser = argparse.ArgumentParser(description=sys.modules["__main__"].__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=1883)
    parser.add_argument("--id", help="shared by the runs of one test (client ids and topics)")
    parser.add_argument("--param", action="append", default=[], help="name=value for the scenario")
    parser.add_argument("scenario", choices=sorted(scenarios))
    args = parser.parse_args()

    def watchdog():
        log(f"FAIL: watchdog: the scenario did not finish within {WATCHDOG_SECONDS:.0f} s")
        sys.stdout.flush()
        os._exit(3)

    timer = threading.Timer(WATCHDOG_SECONDS, watchdog)
    timer.daemon = True
    timer.start()
    ctx = Context(args)
    log(f"scenario {args.scenario} against {args.host}:{args.port} (id {ctx.run_id})")
    code = 0
    try:
        scenarios[args.scenario](ctx)
        if ctx.script_errors:
            raise RuntimeError("errors in paho callbacks:\n" + "\n".join(ctx.script_errors))
        log("PASS")
    except ScenarioFailed as failure:
        log(f"FAIL: {failure}")
        code = 1
    except Exception:  # noqa: BLE001 - report, with the traceback, as a script error rather than a broker failure
        log("ERROR: the script failed:\n" + traceback.format_exc())
        code = 2
    finally:
        ctx.close()
        timer.cancel()
    sys.stdout.flush()
    os._exit(code)
