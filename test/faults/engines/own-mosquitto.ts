// A Mosquitto of the scenario's own, on the configuration `fleetplane broker mosquitto-config`
// generates (mutual TLS, the device ACL) with persistence in the work directory, which the
// scenario may stop, kill and start again on the same port.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { loadFleetCa, openIdentity } from '../../../src/edge/identity/index.js';
import { writeMosquittoConfig } from '../../../src/edge/broker/mosquitto-config.js';
import { platformLayout } from '../../../src/platform/platform-layout.js';
import { freePort, MOSQUITTO } from '../../../test-support/mosquitto.js';

export function mosquittoUnavailable(): Promise<string | undefined> {
  const ran = spawnSync(MOSQUITTO, ['-h'], { stdio: 'ignore' }).error === undefined;
  return Promise.resolve(ran ? undefined : `no Mosquitto binary at ${MOSQUITTO}`);
}

export interface OwnMosquitto {
  readonly url: string;
  readonly persistenceDir: string;
  /** SIGTERM: Mosquitto writes its persistence file and exits. */
  stop(): Promise<void>;
  /** SIGKILL: whatever it had not written yet is gone. */
  kill(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
  log(): string;
}

export async function startOwnMosquitto(data: string, workDir: string): Promise<OwnMosquitto> {
  const port = await freePort();
  const identity = openIdentity(data);
  const persistenceDir = join(workDir, 'mosquitto-db');
  await mkdir(persistenceDir, { recursive: true });
  const files = await writeMosquittoConfig(
    identity.layout,
    platformLayout(data),
    await loadFleetCa(identity.layout),
    {
      outDir: join(workDir, 'mosquitto'),
      port,
      hostnames: ['127.0.0.1', 'localhost'],
      now: new Date(),
      persistenceDir,
      runAsUser: 'root',
    },
  );
  let child: ChildProcess | undefined;
  let output = '';
  const start = async () => {
    const started = spawn(MOSQUITTO, ['-c', files.config], { stdio: ['ignore', 'pipe', 'pipe'] });
    started.stdout.on('data', (d: Buffer) => (output += d.toString()));
    started.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child = started;
    const deadline = Date.now() + 10_000;
    while (!(await accepts(port))) {
      if (started.exitCode !== null || Date.now() > deadline) {
        throw new Error(`mosquitto did not start on ${port}:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const end = async (signal: NodeJS.Signals) => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((r) => running.once('exit', r));
    running.kill(signal);
    await exited;
  };
  await start();
  return {
    url: `mqtts://127.0.0.1:${port}`,
    persistenceDir,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    start,
    close: () => end('SIGTERM'),
    log: () => output,
  };
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
