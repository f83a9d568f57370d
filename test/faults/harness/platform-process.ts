// The platform as `fleetplane start` runs it, from the build in dist/, in a child process that a
// scenario can SIGKILL and start again on the same data directory and the same ports: what an
// operator's process supervisor does after a crash. Its stderr (JSON log lines) is kept in a
// file beside the data directory, so a scenario can read back what the platform said.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { readPlatformLock } from '../../../src/stores/data-dir/platform-lock.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const entry = fileURLToPath(new URL('../../../bin/fleetplane.js', import.meta.url));

export interface PlatformPorts {
  readonly mqtt: number;
  readonly api: number;
  readonly device: number;
}

/** Ports free now, so that every start of the platform listens on the same ones. */
export async function freePorts(): Promise<PlatformPorts> {
  const one = () =>
    new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() =>
          typeof address === 'object' && address
            ? resolve(address.port)
            : reject(new Error('no port')),
        );
      });
    });
  return { mqtt: await one(), api: await one(), device: await one() };
}

export interface PlatformProcessOptions {
  readonly dataDir: string;
  readonly ports: PlatformPorts;
  /** Where the platform's stderr goes, appended across restarts. */
  readonly logFile: string;
  /** More `start` options (`--entity-url …`). */
  readonly extraArgs?: readonly string[];
  readonly startTimeoutMs?: number;
}

export class PlatformProcess {
  #child: ChildProcessWithoutNullStreams | undefined;
  #exited: Promise<number | null> | undefined;
  readonly #log: WriteStream;
  /** How many times it was started, and how long each start took until it listened. */
  readonly startMs: number[] = [];

  constructor(private readonly options: PlatformProcessOptions) {
    this.#log = createWriteStream(options.logFile, { flags: 'a' });
  }

  get mqttUrl(): string {
    return `mqtts://127.0.0.1:${this.options.ports.mqtt}`;
  }

  /** The API, plain HTTP on loopback (`--api-http`). */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.options.ports.api}`;
  }

  /** The sum of a metric's samples (all label sets) from /metrics; undefined when it is absent. */
  async metric(name: string): Promise<number | undefined> {
    const response = await fetch(`${this.apiUrl}/metrics`);
    if (!response.ok) throw new Error(`GET /metrics: ${response.status}`);
    let sum: number | undefined;
    for (const line of (await response.text()).split('\n')) {
      const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})? (\S+)$/.exec(line);
      if (match?.[1] === name) sum = (sum ?? 0) + Number(match[3]);
    }
    return sum;
  }

  get running(): boolean {
    return this.#child !== undefined;
  }

  /** Starts it and resolves once its lock names this process and its broker's URL. */
  async start(): Promise<void> {
    if (this.#child) throw new Error('the platform is already running');
    const { dataDir, ports } = this.options;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      FLEETPLANE_LOG_LEVEL: process.env['FLEETPLANE_LOG_LEVEL'] ?? 'info',
    };
    // Under `npm run faults` the platform would otherwise watch npm as its launcher.
    delete env['npm_lifecycle_event'];
    const began = performance.now();
    const child = spawn(
      process.execPath,
      [
        '--max-semi-space-size=64',
        entry,
        'start',
        '--data',
        dataDir,
        '--mqtt-host',
        '127.0.0.1',
        '--mqtt-port',
        String(ports.mqtt),
        '--api-port',
        String(ports.api),
        '--device-port',
        String(ports.device),
        '--api-http',
        ...(this.options.extraArgs ?? []),
      ],
      { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    this.#child = child;
    this.#log.write(`--- start ${new Date().toISOString()} pid ${child.pid ?? '?'}\n`);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => this.#log.write(d));
    this.#exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.#log.write(`--- exit ${code ?? signal ?? '?'} ${new Date().toISOString()}\n`);
        if (this.#child === child) this.#child = undefined;
        resolve(code);
      }),
    );
    const deadline = Date.now() + (this.options.startTimeoutMs ?? 120_000);
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null || this.#child !== child) {
        throw new Error(
          `the platform exited while starting:\n${out}\n(log: ${this.options.logFile})`,
        );
      }
      const lock = await readPlatformLock(dataDir).catch(() => undefined);
      if (lock && lock.pid === child.pid && lock.mqttUrl) break;
      if (Date.now() > deadline) {
        await this.kill();
        throw new Error(`the platform did not start in time:\n${out}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    this.startMs.push(performance.now() - began);
  }

  /** SIGKILL: no clean stop, nothing flushed; resolves once the process is gone. */
  async kill(): Promise<void> {
    await this.#signal('SIGKILL');
  }

  /** SIGTERM: the clean stop, which stores or leaves unacknowledged what is in flight. */
  async stop(): Promise<number | null> {
    return this.#signal('SIGTERM');
  }

  async close(): Promise<void> {
    if (this.#child) await this.kill();
    await new Promise<void>((resolve) => this.#log.end(() => resolve()));
  }

  /** The JSON log lines it wrote so far, parsed (lines that are not JSON are left out). */
  async logLines(): Promise<Record<string, unknown>[]> {
    await new Promise<void>((resolve) => this.#log.write('', () => resolve()));
    const text = await readFile(this.options.logFile, 'utf8');
    return text.split('\n').flatMap((line) => {
      if (!line.startsWith('{')) return [];
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }

  async #signal(signal: NodeJS.Signals): Promise<number | null> {
    const child = this.#child;
    if (!child || !this.#exited) return null;
    child.kill(signal);
    return this.#exited;
  }
}

/** The platform's error lines (level 50 and up) by message, as `msg ×n; …`, or 'none'. */
export function errorsLogged(lines: readonly Record<string, unknown>[]): string {
  const counts = new Map<string, number>();
  for (const line of lines) {
    if (typeof line['level'] === 'number' && line['level'] >= 50) {
      const msg = String(line['msg'] ?? '?');
      counts.set(msg, (counts.get(msg) ?? 0) + 1);
    }
  }
  return counts.size === 0 ? 'none' : [...counts].map(([m, n]) => `${m} ×${n}`).join('; ');
}
