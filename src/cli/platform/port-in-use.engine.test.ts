import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../test-support/mosquitto.js';
import { tempDir } from '../../../test-support/temp-dir.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'bin', 'fleetplane.js');
const built = existsSync(join(root, 'dist', 'cli', 'main.js'));
/** A deadline for a process that must end by itself; the old code never did. */
const DEADLINE_MS = 180_000;

const FLAGS = ['--mqtt-port', '--api-port', '--device-port'] as const;

function occupy(t: TestContext): Promise<number> {
  return new Promise((resolve, reject) => {
    const server: Server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    t.after(() => new Promise<void>((done) => server.close(() => done())));
  });
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Runs the installed command (bin/ over dist/) and waits for it to end, within the deadline. */
function run(args: readonly string[]) {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  return new Promise<{ code: number | null; stderr: string; killed: boolean }>((resolve) => {
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, DEADLINE_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, killed });
    });
  });
}

describe('a port another program holds (issue 16)', () => {
  for (const command of ['start', 'demo'] as const) {
    for (const flag of FLAGS) {
      it(`${command} with ${flag} taken exits 1 with one line naming the port and ${flag}, and leaves nothing behind`, async (t) => {
        if (!built && !process.env['FLEETPLANE_REQUIRE_ENGINES'])
          return t.skip('dist/ not built: run npm run build');
        const dir = await tempDir(t);
        const taken = await occupy(t);
        const others = FLAGS.filter((f) => f !== flag);
        const ports = new Map<string, number>([[flag, taken]]);
        for (const other of others) ports.set(other, await freePort());
        const args = [command, '--data', join(dir, 'data'), '--api-http'];
        for (const [f, port] of ports) args.push(f, String(port));

        const result = await run(args);

        assert.equal(
          result.killed,
          false,
          `still running after ${DEADLINE_MS} ms:\n${result.stderr}`,
        );
        assert.equal(result.code, 1, result.stderr);
        const lines = result.stderr.trimEnd().split('\n');
        assert.equal(lines.length, 1, result.stderr);
        assert.match(lines[0]!, new RegExp(`port ${taken}\\b.*in use.*${flag} N`));
        assert.doesNotMatch(result.stderr, /internal error/);
        assert.equal(existsSync(join(dir, 'data', 'platform.lock')), false, 'the lock is released');
        for (const other of others) {
          assert.equal(await canBind(ports.get(other)!), true, `${other} is not held`);
        }
      });
    }
  }
});
