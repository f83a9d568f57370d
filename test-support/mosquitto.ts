// Starts Debian's Mosquitto on a free port with a configuration the test generated, and stops
// it when the test ends.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import type { TestContext } from 'node:test';
import { needEngine } from './engines.js';

export const MOSQUITTO = process.env['FLEETPLANE_MOSQUITTO'] ?? '/usr/sbin/mosquitto';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function haveMosquitto(t: TestContext): boolean {
  // `mosquitto -h` prints its usage and exits with status 3: present is "it ran at all".
  const ran = spawnSync(MOSQUITTO, ['-h'], { stdio: 'ignore' }).error === undefined;
  return needEngine(t, ran, `Mosquitto binary ${MOSQUITTO}`);
}

export interface MosquittoProcess {
  readonly process: ChildProcess;
  readonly log: () => string;
}

export async function startMosquitto(
  t: TestContext,
  config: string,
  port: number,
): Promise<MosquittoProcess> {
  const child = spawn(MOSQUITTO, ['-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  t.after(() => {
    child.kill('SIGTERM');
  });
  const deadline = Date.now() + 5000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`mosquitto did not start on ${port}:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { process: child, log: () => output };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
