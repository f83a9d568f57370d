import assert from 'node:assert/strict';
import { KeyObject, X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { describe, it, type TestContext } from 'node:test';
import { connect, type TLSSocket } from 'node:tls';
import { makeCsr, testFleet } from '../../../../test-support/identity.js';
import { issueServerCertificate, loadFleetCa, provisionDevice } from '../../identity/index.js';
import { fleetTrust, mutualTlsContext } from '../tls-policy.js';
import type { EdgeConnection } from './edge-connection.js';
import { EdgePool } from './edge-pool.js';

async function pool(t: TestContext, edges = 2) {
  const fleet = await testFleet(t, { start: new Date() });
  const ca = await loadFleetCa(fleet.ctx.layout);
  const server = await issueServerCertificate(ca, ['127.0.0.1'], { now: new Date() });
  const csr = await makeCsr('SN-1');
  const device = await provisionDevice(fleet.ctx, {
    serial: 'SN-1',
    store: 'store-1',
    deviceClass: 'cart',
    csr: csr.pem,
  });
  const key = KeyObject.from(csr.keys.privateKey).export({
    format: 'pem',
    type: 'pkcs8',
  }) as string;
  const opened: { connection: EdgeConnection; certificate: X509Certificate | undefined }[] = [];
  const refused: string[] = [];
  const exits: number[] = [];
  const arrivals: (() => void)[] = [];
  const edgePool = new EdgePool({
    host: '127.0.0.1',
    port: 0,
    edges,
    context: mutualTlsContext({
      keyPem: server.keyPem,
      certChainPem: server.certPem + server.chainPem,
      trusted: fleetTrust(ca, new Date()),
      crls: [],
    }),
    onConnection: (connection) => {
      opened.push({ connection, certificate: connection.certificate });
      arrivals.shift()?.();
    },
    onRefused: (r) => refused.push(r.error),
    onEdgeExit: (n) => exits.push(n),
  });
  const { port } = await edgePool.start();
  t.after(() => edgePool.close());
  const nextConnection = () => new Promise<void>((resolve) => arrivals.push(resolve));
  const dial = async (withCertificate = true): Promise<TLSSocket> => {
    const socket = connect({
      host: '127.0.0.1',
      port,
      ca: ca.trustBundlePem(new Date()),
      ...(withCertificate ? { key, cert: device.certificatePem } : {}),
    });
    socket.on('error', () => undefined);
    t.after(() => socket.destroy());
    await once(socket, 'secureConnect');
    return socket;
  };
  return { edgePool, opened, refused, exits, dial, nextConnection, device };
}

describe('EdgePool', () => {
  it('carries a device connection between its TLS socket and the platform, with its certificate', async (t) => {
    const { opened, dial, nextConnection, device } = await pool(t);
    const arrived = nextConnection();
    const socket = await dial();
    await arrived;
    const [{ connection, certificate }] = opened as [(typeof opened)[number]];
    assert.equal(
      certificate?.fingerprint256,
      new X509Certificate(device.certificatePem).fingerprint256,
    );
    connection.on('data', (bytes: Buffer) =>
      connection.write(Buffer.concat([Buffer.from('echo:'), bytes])),
    );
    socket.write('hello');
    const [reply] = (await once(socket, 'data')) as [Buffer];
    assert.equal(reply.toString(), 'echo:hello');
    // The platform ends the connection: the device sees its socket close.
    connection.end();
    await once(socket, 'close');
  });

  it('ends the platform side when the device goes away', async (t) => {
    const { opened, dial, nextConnection } = await pool(t);
    const arrived = nextConnection();
    const socket = await dial();
    await arrived;
    const { connection } = opened[0]!;
    const closed = once(connection, 'close');
    socket.destroy();
    await closed;
  });

  it('reports a handshake refused for want of a client certificate', async (t) => {
    const { refused, dial } = await pool(t);
    await dial(false).catch(() => undefined);
    for (let i = 0; i < 50 && refused.length === 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    assert.equal(refused.length, 1);
    assert.match(refused[0]!, /certificate/i);
  });

  it('closes the connections of an edge that dies and keeps the others', async (t) => {
    const { edgePool, opened, dial, nextConnection, exits } = await pool(t, 2);
    const arrivals = Array.from({ length: 8 }, () => nextConnection());
    for (let i = 0; i < 8; i++) await dial();
    await Promise.all(arrivals);
    assert.equal(edgePool.connections, 8);
    let closed = 0;
    for (const { connection } of opened) connection.once('close', () => closed++);
    process.kill(edgePool.pids[0]!, 'SIGKILL');
    for (let i = 0; i < 100 && exits.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(exits, [0]);
    assert.equal(closed, 8 - edgePool.connections);
  });
});
