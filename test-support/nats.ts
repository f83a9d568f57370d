// NATS JetStream for the ingest queue's engine tests: the machine's server on 4222, or a server of
// the test's own (its own port and store directory) that the test can kill and start again.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect as natsConnect } from '@nats-io/transport-node';
import { queueLayout } from '../src/pipeline/ingest-queue/jetstream-layout.js';
import { needEngine } from './engines.js';
import { freePort } from './mosquitto.js';

export const NATS_URL = process.env['FLEETPLANE_NATS_URL'] ?? 'nats://127.0.0.1:4222';
export const NATS_SERVER = process.env['FLEETPLANE_NATS_SERVER'] ?? '/usr/sbin/nats-server';

export function accepts(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port || 4222), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** True when the machine's NATS answers; otherwise skips (or fails, engines required). */
export async function haveNats(t: TestContext, url = NATS_URL): Promise<boolean> {
  return needEngine(t, await accepts(url), `NATS JetStream at ${url}`);
}

/** A stream name of the test's own, so parallel tests never share one. */
export function uniqueStream(): string {
  return `TEST_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/**
 * Deletes the stream and its dead-letter stream when the test ends. `after` hooks run in the order
 * they were added: add this after whatever holds the stream (queues, platforms) is set to close.
 */
export function removeStreamAfter(t: TestContext, stream: string, url = NATS_URL): void {
  t.after(async () => {
    if (!(await accepts(url))) return;
    const nc = await natsConnect({ servers: new URL(url).host });
    const jsm = await jetstreamManager(nc);
    const layout = queueLayout(stream);
    await jsm.streams.delete(layout.stream).catch(() => undefined);
    await jsm.streams.delete(layout.deadStream).catch(() => undefined);
    await nc.close();
  });
}

export interface OwnNatsServer {
  readonly url: string;
  /** Kills the server (SIGKILL: no goodbye to clients, nothing flushed by a shutdown). */
  kill(): Promise<void>;
  /** Starts it again on the same port and store directory. */
  start(): Promise<void>;
}

/** True when the nats-server binary runs; otherwise skips (or fails, engines required). */
export function haveNatsServer(t: TestContext): boolean {
  const ran = spawnSync(NATS_SERVER, ['--version'], { stdio: 'ignore' });
  return needEngine(t, ran.error === undefined && ran.status === 0, `${NATS_SERVER} binary`);
}

/** Resolves once `url` accepts connections; throws after `ms`. */
export async function untilAccepting(url: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await accepts(url))) {
    if (Date.now() > deadline) throw new Error(`nothing accepts connections at ${url}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `nats-server -js -sd DIR -p FREEPORT`, stopped and its directory removed when the test ends. */
export async function ownNatsServer(t: TestContext): Promise<OwnNatsServer | undefined> {
  if (!haveNatsServer(t)) return undefined;
  const dir = await mkdtemp(join(tmpdir(), 'fleet-nats-'));
  const port = await freePort();
  const url = `nats://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let output = '';
  const exited = (c: ChildProcess) =>
    c.exitCode !== null || c.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => c.once('exit', () => resolve()));
  const server: OwnNatsServer = {
    url,
    async start() {
      const c = spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = c;
      c.stdout?.on('data', (d: Buffer) => (output += d.toString()));
      c.stderr?.on('data', (d: Buffer) => (output += d.toString()));
      const deadline = Date.now() + 10_000;
      while (!(await accepts(url))) {
        if (c.exitCode !== null || Date.now() > deadline) {
          throw new Error(`nats-server did not start on ${port}:\n${output}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async kill() {
      const c = child;
      child = undefined;
      if (!c) return;
      c.kill('SIGKILL');
      await exited(c);
    },
  };
  t.after(async () => {
    await server.kill();
    await rm(dir, { recursive: true, force: true });
  });
  await server.start();
  return server;
}
