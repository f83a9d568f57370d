// Debian's Mosquitto as the benchmarks' peer: the fleet's certificates in a data directory of its
// own, the mutual-TLS configuration the platform generates, on a random port, logging nothing.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeMosquittoConfig } from '../../src/edge/broker/mosquitto-config.js';
import { loadFleetCa, openIdentity } from '../../src/edge/identity/index.js';
import { platformLayout } from '../../src/platform/platform-layout.js';
import { freshDataDir, type Fleet } from './fleet-cache.js';

export interface BenchMosquitto {
  readonly process: ChildProcess;
  readonly port: number;
  stop(): Promise<void>;
}

export async function startBenchMosquitto(
  fleet: Fleet,
  step: (text: string) => void,
): Promise<BenchMosquitto> {
  const data = await mkdtemp(join(tmpdir(), 'fleetplane-bench-mosquitto-'));
  await freshDataDir(fleet, data);
  const identity = openIdentity(data);
  const port = 20000 + Math.floor(Math.random() * 20000);
  const files = await writeMosquittoConfig(
    identity.layout,
    platformLayout(data),
    await loadFleetCa(identity.layout),
    {
      outDir: join(data, 'mosquitto'),
      port,
      hostnames: ['127.0.0.1'],
      now: new Date(),
      runAsUser: 'root',
    },
  );
  // The platform under test logs nothing; Mosquitto neither.
  await appendFile(files.config, 'log_dest none\n');
  step(`starting Mosquitto on ${port} with the generated mutual-TLS configuration`);
  const mosquitto = spawn('/usr/sbin/mosquitto', ['-c', files.config], { stdio: 'ignore' });
  await waitForPort(port, mosquitto);
  return {
    process: mosquitto,
    port,
    async stop() {
      mosquitto.kill('SIGTERM');
      await new Promise((r) => mosquitto.once('exit', r));
      await rm(data, { recursive: true, force: true });
    },
  };
}

/** Resolves once something listens on `port`; fails if `child` exits first or after 10 s. */
export async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`nothing listens on ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
