// MQTT.js over WebSocket (ws:// or wss://) against a plain TCP client, both ways.
//   node wss.mjs <url of the WebSocket listener> <tcp port> [ca.pem] [protocol version 4|5]
// Exit 0 when a WebSocket subscriber got the TCP client's message and the TCP subscriber got the WebSocket
// client's; 1 otherwise. Every wait is bounded.
import fs from 'node:fs';
import mqtt from 'mqtt';

const [url, tcpPort, caPath, version] = process.argv.slice(2);
const protocolVersion = Number(version ?? 4);
const prefix = `mqttjs/${Math.random().toString(16).slice(2, 10)}`;
const watchdog = setTimeout(() => { console.log('FAIL: timed out'); process.exit(1); }, 20000);

function connect(address, options) {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(address, { protocolVersion, reconnectPeriod: 0, connectTimeout: 10000, ...options });
    client.once('connect', () => resolve(client));
    client.once('error', reject);
  });
}

function nextMessage(client, topic) {
  return new Promise((resolve) => client.on('message', (t, payload) => { if (t === topic) resolve(payload.toString()); }));
}

try {
  const ws = await connect(url, caPath ? { ca: fs.readFileSync(caPath), rejectUnauthorized: true } : {});
  const tcp = await connect(`mqtt://127.0.0.1:${tcpPort}`, {});
  console.log('connected');

  await ws.subscribeAsync(`${prefix}/to-ws`, { qos: 1 });
  await tcp.subscribeAsync(`${prefix}/to-tcp`, { qos: 1 });
  const toWs = nextMessage(ws, `${prefix}/to-ws`);
  const toTcp = nextMessage(tcp, `${prefix}/to-tcp`);
  await tcp.publishAsync(`${prefix}/to-ws`, 'from tcp', { qos: 1 });
  await ws.publishAsync(`${prefix}/to-tcp`, 'from websocket', { qos: 1 });
  const [a, b] = await Promise.all([toWs, toTcp]);
  console.log(`websocket got "${a}", tcp got "${b}"`);
  if (a !== 'from tcp' || b !== 'from websocket') {
    throw new Error('wrong payloads');
  }

  await ws.endAsync();
  await tcp.endAsync();
  clearTimeout(watchdog);
  console.log('OK');
  process.exit(0);
} catch (error) {
  console.log(`FAIL: ${error?.stack ?? error}`);
  process.exit(1);
}
