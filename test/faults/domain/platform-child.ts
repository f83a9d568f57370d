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

/** How long a start may take before the child is given up. */
const START_TIMEOUT_MS = 120_000;
/** How long a clean stop may take before the child is killed: a stop that hangs is not clean. */
const STOP_TIMEOUT_MS = 60_000;

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
  /** SIGTERM: the clean stop; SIGKILL after a minute without exit (exitCode() then says null). */
  stop(): Promise<void>;
  /** The exit code once the process has exited (null while it runs or when a signal ended it). */
  exitCode(): number | null;
}

export interface ChildPorts {
  readonly mqtt: number;
  readonly api: number;
  readonly device: number;
}

export interface PlatformChildOptions {
  /** The ports to listen on (a restart takes its predecessor's); free ones by default. */
  readonly ports?: ChildPorts;
  /** More `fleetplane start` flags. */
  readonly extraArgs?: readonly string[];
  /** Added to the child's environment (libfaketime's, for a scenario that moves its clock). */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * The run was given up (the test timed out or was cancelled): the child is SIGKILLed, so no
   * platform outlives its scenario holding the test file open.
   */
  readonly signal?: AbortSignal | undefined;
}

/** The ports a child listens on, to start the next one on the same ones. */
export function portsOf(child: PlatformChild): ChildPorts {
  const port = (url: string) => Number(new URL(url).port);
  return { mqtt: port(child.mqttUrl), api: port(child.apiUrl), device: port(child.deviceApiUrl) };
}

/**
 * Starts `fleetplane start` on `data` and resolves when it says it is running; its stdout and
 * stderr go to `logFile` (appended, so restarts share one file). A child that does not come up
 * is killed before the error is thrown, and so is one still running when this process exits.
 */
export async function startPlatformChild(
  data: string,
  logFile: string,
  options: PlatformChildOptions = {},
): Promise<PlatformChild> {
  const { ports = { mqtt: 0, api: 0, device: 0 }, extraArgs = [], env = {}, signal } = options;
  signal?.throwIfAborted();
  const args = [
    ...[BIN, 'start', '--data', data, '--mqtt-host', '127.0.0.1'],
    ...['--mqtt-port', String(ports.mqtt), '--api-port', String(ports.api)],
    ...['--device-port', String(ports.device), ...extraArgs],
  ];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, FLEETPLANE_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const log = createWriteStream(logFile, { flags: 'a' });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    log.write(d);
  });
  child.stderr.on('data', (d: Buffer) => log.write(d));
  const abandon = () => signalChild(child, 'SIGKILL');
  signal?.addEventListener('abort', abandon, { once: true });
  // 'close', not 'exit': the log is ended once the child's output has all been written to it.
  const exited = new Promise<void>((resolve) =>
    child.once('close', () => {
      process.off('exit', killOnExit);
      signal?.removeEventListener('abort', abandon);
      log.end();
      resolve();
    }),
  );
  const end = async (how: NodeJS.Signals) => {
    signalChild(child, how);
    const timer = setTimeout(abandon, STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };
  try {
    const banner = await startBanner(child, () => out, logFile, signal);
    return await connect(child, data, banner, { end });
  } catch (error) {
    abandon();
    await exited;
    throw error;
  }
}

function signalChild(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
}

/** The child's stdout up to the line that says it runs; rejects when it exits or is given up. */
function startBanner(
  child: ChildProcess,
  out: () => string,
  logFile: string,
  signal: AbortSignal | undefined,
): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`no start within ${START_TIMEOUT_MS / 1000} s:\n${out()}`)),
      START_TIMEOUT_MS,
    );
    const check = () => {
      if (/Ctrl-C to stop/.test(out())) done(() => resolve(out()));
    };
    const fail = (error: Error) => done(() => reject(error));
    const onExit = (code: number | null) =>
      fail(new Error(`fleetplane start exited (${code}) before running; see ${logFile}`));
    const onAbort = () => fail(new Error('the run was given up while the platform started'));
    const done = (then: () => void) => {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.off('exit', onExit);
      signal?.removeEventListener('abort', onAbort);
      then();
    };
    child.stdout?.on('data', check);
    child.once('exit', onExit);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The running child as a scenario uses it: its URLs from the banner and its ops API. */
async function connect(
  child: ChildProcess,
  data: string,
  banner: string,
  control: { end(how: NodeJS.Signals): Promise<void> },
): Promise<PlatformChild> {
  const url = (label: RegExp) => {
    const found = label.exec(banner)?.[1];
    if (!found) throw new Error(`no ${label} in the banner:\n${banner}`);
    return found;
  };
  const trust = await readFile(join(data, 'ca', 'trust-bundle.pem'), 'utf8');
  const fetchApi = apiFetch(trust);
  const keys = await loadTokenKeys(platformLayout(data).tokenKey);
  const apiUrl = url(/^\s+API\s+(https:\/\/\S+)/m);
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
    kill: () => control.end('SIGKILL'),
    stop: () => control.end('SIGTERM'),
    exitCode: () => child.exitCode,
  };
}

/** Polls `check` every 100 ms until it returns a value, or throws saying what did not happen. */
export async function until<T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 30_000,
  signal?: AbortSignal,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
