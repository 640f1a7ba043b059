#!/usr/bin/python3
"""MQTT over WebSocket with paho-mqtt 1.6.1 (transport="websockets"), against plain TCP clients.

    websocket.py --host H --port TCP_PORT --ws-port P --path /mqtt [--cafile CA.pem] [--version 311|5]

With --cafile the WebSocket runs over TLS (wss). A WebSocket subscriber receives what a TCP client publishes
and a TCP subscriber receives what a WebSocket client publishes, including a message larger than one frame
and the server's 4 KiB write segments. Exit 0 when both directions deliver, 1 otherwise.
"""

import argparse
import sys
import threading
import time
import uuid

import paho.mqtt.client as mqtt

TIMEOUT = 15.0


def log(text):
    sys.stdout.write(f"{text}\n")
    sys.stdout.flush()


class Client:
    def __init__(self, name, host, port, protocol, ws_path=None, cafile=None):
        self.name = name
        self.cond = threading.Condition()
        self.connected = False
        self.subscribed = False
        self.messages = []
        transport = "websockets" if ws_path else "tcp"
        self.mqtt = mqtt.Client(client_id=f"{name}-{uuid.uuid4().hex[:8]}", protocol=protocol, transport=transport)
        if ws_path:
            self.mqtt.ws_set_options(path=ws_path)
        if cafile:
            self.mqtt.tls_set(ca_certs=cafile)
        self.mqtt.on_connect = self._on_connect
        self.mqtt.on_subscribe = self._on_subscribe
        self.mqtt.on_message = self._on_message
        self.mqtt.connect(host, port, keepalive=30)
        self.mqtt.loop_start()
        self._wait(lambda: self.connected, "CONNACK")

    def _on_connect(self, client, userdata, flags, rc, properties=None):
        with self.cond:
            self.connected = rc == 0
            self.cond.notify_all()
        log(f"{self.name}: CONNACK {rc}")

    def _on_subscribe(self, client, userdata, mid, granted, properties=None):
        with self.cond:
            self.subscribed = True
            self.cond.notify_all()

    def _on_message(self, client, userdata, message):
        with self.cond:
            self.messages.append((message.topic, bytes(message.payload)))
            self.cond.notify_all()
        log(f"{self.name}: PUBLISH {message.topic} ({len(message.payload)} bytes)")

    def _wait(self, condition, what):
        deadline = time.monotonic() + TIMEOUT
        with self.cond:
            while not condition():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise SystemExit(f"FAIL: {self.name} got no {what}")
                self.cond.wait(left)

    def subscribe(self, topic):
        self.subscribed = False
        self.mqtt.subscribe(topic, qos=1)
        self._wait(lambda: self.subscribed, f"SUBACK for {topic}")

    def wait_message(self, topic, payload):
        self._wait(lambda: (topic, payload) in self.messages, f"message on {topic} ({len(payload)} bytes)")

    def publish(self, topic, payload):
        self.mqtt.publish(topic, payload, qos=1).wait_for_publish(TIMEOUT)

    def close(self):
        self.mqtt.disconnect()
        self.mqtt.loop_stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--ws-port", type=int, required=True)
    parser.add_argument("--path", default="/mqtt")
    parser.add_argument("--cafile")
    parser.add_argument("--version", default="311")
    args = parser.parse_args()
    protocol = mqtt.MQTTv5 if args.version == "5" else mqtt.MQTTv311
    prefix = f"ws/{uuid.uuid4().hex[:8]}"
    small = b"hello over websocket"
    large = bytes(range(256)) * 40  # 10 KiB: several WebSocket frames and pipe segments

    ws = Client("ws", args.host, args.ws_port, protocol, args.path, args.cafile)
    tcp = Client("tcp", args.host, args.port, protocol)
    ws.subscribe(f"{prefix}/to-ws")
    tcp.subscribe(f"{prefix}/to-tcp")

    tcp.publish(f"{prefix}/to-ws", small)
    tcp.publish(f"{prefix}/to-ws", large)
    ws.publish(f"{prefix}/to-tcp", small)
    ws.publish(f"{prefix}/to-tcp", large)

    ws.wait_message(f"{prefix}/to-ws", small)
    ws.wait_message(f"{prefix}/to-ws", large)
    tcp.wait_message(f"{prefix}/to-tcp", small)
    tcp.wait_message(f"{prefix}/to-tcp", large)
    ws.close()
    tcp.close()
    log("OK")


if __name__ == "__main__":
    main()
