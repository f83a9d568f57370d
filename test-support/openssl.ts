import { spawnSync } from 'node:child_process';
import type { TestContext } from 'node:test';
import { hasBinary, needEngine } from './engines.js';

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let available: boolean | undefined;

/** True when the openssl binary runs; otherwise skips the test (or fails it when engines are required). */
export function requireOpenssl(t: TestContext): boolean {
  available ??= hasBinary('openssl');
  return needEngine(t, available, 'openssl not found on PATH');
}

export function openssl(args: readonly string[], input?: string | Uint8Array): RunResult {
  const result = spawnSync('openssl', [...args], { input, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}
