// The floor of a Node broker for bench:fleet: Node's mutual-TLS server with the platform's TLS
// policy and fleet trust, answering every CONNECT with a CONNACK and doing nothing else (no
// admission, no MQTT session, no records). What the platform costs above this is its own.
// Prints {"port"} once listening; stops when stdin closes.
import { createServer } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { ensureServerIdentity } from '../../src/edge/broker/server-identity.js';
import { fleetTrust, mutualTlsContext } from '../../src/edge/broker/tls-policy.js';
import { loadFleetCa, openIdentity } from '../../src/edge/identity/index.js';
import { platformLayout } from '../../src/platform/platform-layout.js';

const data = process.argv[2];
if (!data) throw new Error('usage: bare-tls-server.ts DATA_DIR');
const ca = await loadFleetCa(openIdentity(data).layout);
const now = new Date();
const server = await ensureServerIdentity(
  platformLayout(data).brokerServer,
  ca,
  ['127.0.0.1'],
  now,
);
const CONNACK = Buffer.from([0x20, 0x02, 0x00, 0x00]);
const tls = createServer(
  {
    ...mutualTlsContext({
      keyPem: server.keyPem,
      certChainPem: server.certChainPem,
      trusted: fleetTrust(ca, now),
      crls: [],
    }),
    requestCert: true,
    rejectUnauthorized: true,
  },
  (socket) => {
    socket.once('data', () => socket.write(CONNACK));
    socket.on('error', () => socket.destroy());
  },
);
tls.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (tls.address() as AddressInfo).port })}\n`);
});
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
