// The platform as a child process (`fleetplane start` from the built dist/), so a fault scenario
// can SIGKILL it and start it again on the same data directory and ports, and the ops API of that
// child with a token made the CLI's way. Self-contained for the domain scenarios of issue 20.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiFetch } from '../../../src/cli/platform/api-fetch.js';
import { platformLayout } from '../../../src/platform/platform-layout.js';
import { issueToken, loadTokenKeys } from '../../../src/surfaces/api/tokens.js';

const BIN = fileURLToPath(new URL('../../../bin/fleetplane.js', import.meta.url));

export interface PlatformChild {
  readonly pid: number;
  readonly mqttUrl: string;
  readonly apiUrl: string;
  readonly deviceApiUrl: string;
  /** An ops API call; the body parsed, `{}` when empty. */
  api(
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  /** SIGKILL: no drain, no shutdown path; resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM: the clean stop. */
  stop(): Promise<void>;
}

export interface ChildPorts {
  readonly mqtt: number;
  readonly api: number;
  readonly device: number;
}

/** The ports a child listens on, to start the next one on the same ones. */
export function portsOf(child: PlatformChild): ChildPorts {
  const port = (url: string) => Number(new URL(url).port);
  return { mqtt: port(child.mqttUrl), api: port(child.apiUrl), device: port(child.deviceApiUrl) };
}

/**
 * Starts `fleetplane start` on `data` (free ports unless given) and resolves when it says it is
 * running; its stdout and stderr go to `logFile` (appended, so restarts share one file).
 */
export async function startPlatformChild(
  data: string,
  logFile: string,
  ports: ChildPorts = { mqtt: 0, api: 0, device: 0 },
  extraArgs: readonly string[] = [],
): Promise<PlatformChild> {
  const args = [
    ...[BIN, 'start', '--data', data, '--mqtt-host', '127.0.0.1'],
    ...['--mqtt-port', String(ports.mqtt), '--api-port', String(ports.api)],
    ...['--device-port', String(ports.device), ...extraArgs],
  ];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, FLEETPLANE_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(logFile, { flags: 'a' });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    log.write(d);
  });
  child.stderr.on('data', (d: Buffer) => log.write(d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const banner = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`no start within 120 s:\n${out}`)), 120_000);
    const check = () => {
      if (/Ctrl-C to stop/.test(out)) done(() => resolve(out));
    };
    const fail = (error: Error) => done(() => reject(error));
    const onExit = (code: number | null) =>
      fail(new Error(`fleetplane start exited (${code}) before running; see ${logFile}`));
    const done = (then: () => void) => {
      clearTimeout(timer);
      child.stdout.off('data', check);
      child.off('exit', onExit);
      then();
    };
    child.stdout.on('data', check);
    child.once('exit', onExit);
  });
  const url = (label: RegExp) => {
    const found = label.exec(banner)?.[1];
    if (!found) throw new Error(`no ${label} in the banner:\n${banner}`);
    return found;
  };
  const trust = await readFile(join(data, 'ca', 'trust-bundle.pem'), 'utf8');
  const fetchApi = apiFetch(trust);
  const keys = await loadTokenKeys(platformLayout(data).tokenKey);
  const apiUrl = url(/^\s+API\s+(https:\/\/\S+)/m);
  const end = async (signal: NodeJS.Signals, process: ChildProcess) => {
    if (process.exitCode === null && process.signalCode === null) process.kill(signal);
    await exited;
    log.end();
  };
  return {
    pid: child.pid!,
    mqttUrl: url(/^\s+MQTT\s+(mqtts:\/\/\S+)/m),
    apiUrl,
    deviceApiUrl: url(/^\s+device API\s+(https:\/\/\S+)/m),
    async api(method, path, body) {
      const token = await issueToken(keys, { role: 'ops' }, new Date());
      const response = await fetchApi(`${apiUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
      };
    },
    kill: () => end('SIGKILL', child),
    stop: () => end('SIGTERM', child),
  };
}

/** Polls `check` every 100 ms until it returns a value, or throws saying what did not happen. */
export async function until<T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
