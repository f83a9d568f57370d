// Runs identity commands through main() with a test clock and captured output.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { CommandIo } from '../src/cli/command.js';
import { identityCommands } from '../src/cli/identity/index.js';
import { main } from '../src/cli/main.js';
import { TestClock } from './identity.js';
import { tempDir } from './temp-dir.js';

export function capture(): CommandIo & { stdout: string[]; stderr: string[]; text(): string } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (l) => stdout.push(l),
    err: (l) => stderr.push(l),
    text: () => [...stdout, ...stderr].join('\n'),
  };
}

export async function cli(t: TestContext) {
  const data = await tempDir(t);
  const work = await tempDir(t);
  const clock = new TestClock();
  const commands = identityCommands({ now: clock.now });
  const run = async (...argv: string[]) => {
    const io = capture();
    const code = await main(argv, io, commands);
    return { code, io, text: io.text() };
  };
  /** `provision` for the store that `ready()` adds; extra flags follow. */
  const provision = (serial: string, out: string, ...extra: string[]) =>
    run(
      'provision',
      '--data',
      data,
      '--serial',
      serial,
      '--store',
      'berlin-1',
      '--out',
      out,
      ...extra,
    );
  return { data, work, clock, run, provision };
}

/** A data dir with a CA and the store 'berlin-1'. */
export async function ready(t: TestContext) {
  const c = await cli(t);
  assert.equal((await c.run('ca', 'init', '--data', c.data)).code, 0);
  const add = await c.run(
    'store',
    'add',
    '--data',
    c.data,
    '--id',
    'berlin-1',
    '--name',
    'Berlin 1',
  );
  assert.equal(add.code, 0, add.text);
  return c;
}

/** Every file under a directory with its content: "same state" means this is equal. */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true })) {
    const path = join(dir, String(entry));
    if ((await stat(path)).isFile()) out[String(entry)] = await readFile(path, 'utf8');
  }
  return out;
}

/**
 * A temporary data directory with a fleet CA: what every command but ca init, start and demo
 * requires of --data.
 */
export async function caDataDir(t: TestContext): Promise<string> {
  const data = await tempDir(t);
  const io = capture();
  assert.equal(await main(['ca', 'init', '--data', data], io, identityCommands()), 0, io.text());
  return data;
}
