import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createPublicKey } from 'node:crypto';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it, type TestContext } from 'node:test';
import { splitFrame, verifyBody } from '../../contract/index.js';
import { createLogger } from '../../shared/observability/logger.js';
import type { RunningPlatform } from '../../platform/platform.js';
import { capture } from '../../../test-support/cli.js';
import { needEngine } from '../../../test-support/engines.js';
import { builtBin, distBuilt, runScript, shellBlock } from '../../../test-support/doc-commands.js';
import {
  eventually,
  fleetDataDir,
  provisionDevice,
  runCli,
  startTestPlatform,
} from '../../../test-support/platform.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { main } from '../main.js';
import { deviceCommands } from './index.js';

/** The platform's JSON log lines, as `fleetplane start` writes them to stderr. */
function logLines(): { logger: ReturnType<typeof createLogger>; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), lines };
}

async function device(...argv: string[]) {
  const io = capture();
  const code = await main(['device', ...argv], io, deviceCommands());
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n'), text: io.text() };
}

describe('fleetplane device send and sign, against a running platform', () => {
  let platform: RunningPlatform;
  let data: string;
  let cart: string;
  let log: ReturnType<typeof logLines>;

  const cleanups: (() => unknown)[] = [];
  before(async () => {
    // One platform for the file; `before` has no TestContext, so cleanups are kept here.
    const ctx = { after: (fn: () => unknown) => cleanups.push(fn) } as unknown as TestContext;
    data = await fleetDataDir(ctx);
    cart = await provisionDevice(data, 'CART-0001');
    log = logLines();
    // The revocation watcher does not poll during the file: a revoked device meets admission,
    // which reads the registry, rather than the CRL in the TLS context, where Node no longer
    // shows the server the certificate (so that refusal cannot name the device).
    platform = await startTestPlatform(
      ctx,
      data,
      { revocationPollMs: 600_000 },
      { log: log.logger },
    );
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  const send = (deviceDir: string, type: string, ...extra: string[]) =>
    device('send', '--device', deviceDir, '--type', type, '--mqtt', platform.mqttUrl, ...extra);
  const stored = async (deviceId: string) =>
    (await platform.telemetry.latestForDevice(deviceId, { limit: 100 })).map((e) => e.counter);

  it('stores a session-start, a scan and a session-end with example bodies, one session, counters kept between runs', async () => {
    for (const type of ['session-start', 'scan', 'scan', 'session-end', 'health']) {
      const r = await send(cart, type);
      assert.equal(r.code, 0, r.text);
      assert.match(r.out, new RegExp(`^Stored: ${type} from CART-0001, counter [0-9]+`));
    }
    assert.deepEqual(
      (await stored('CART-0001')).sort((a, b) => a - b),
      [1, 2, 3, 4, 5],
    );
    const events = await platform.telemetry.latestForDevice('CART-0001', { limit: 10 });
    const sessions = new Set(
      events
        .filter((e) => e.type !== 'health')
        .map((e) => (JSON.parse(e.body) as { session_id: string }).session_id),
    );
    assert.equal(sessions.size, 1, 'start, scans and end share the session the start opened');
    const state = JSON.parse(await readFile(join(cart, 'send-state.json'), 'utf8'));
    assert.deepEqual(state, { next_counter: 6 }, 'the session-end closed the session');
  });

  it('a used counter sent again is reported as a duplicate and stored once', async () => {
    const before = (await stored('CART-0001')).length;
    const r = await send(cart, 'health', '--body', '{"counter": 2}');
    assert.equal(r.code, 0, r.text);
    assert.match(r.out, /^Duplicate: health from CART-0001, counter 2 was stored before/);
    assert.equal((await stored('CART-0001')).length, before);
  });

  it('a body the schema refuses is rejected with the reason from the error topic, exit 1', async () => {
    const r = await send(cart, 'scan', '--body', '{"quantity": 500}');
    assert.equal(r.code, 1, r.text);
    assert.match(
      r.err,
      /rejected scan from CART-0001, counter [0-9]+: schema \(scan: \/quantity must be <= 99\) \[rejected\]/,
    );
  });

  it('refuses a type the device class does not send, and a directory that is not a device', async (t) => {
    const wrong = await send(cart, 'tool-telemetry');
    assert.equal(wrong.code, 2);
    assert.match(wrong.err, /a cart does not send 'tool-telemetry'; --type is one of scan,/);
    const notDevice = await send(await tempDir(t), 'scan');
    assert.equal(notDevice.code, 1);
    assert.match(
      notDevice.err,
      /has no device\.json: --device is the directory 'fleetplane provision --out' wrote/,
    );
    const nowhere = await device('send', '--device', cart, '--type', 'scan');
    assert.equal(nowhere.code, 2);
    assert.match(nowhere.err, /--data DIR .* or --mqtt URL is required/);
  });

  it('device sign writes the body and a signature that verifies with the device key', async (t) => {
    const out = join(await tempDir(t), 'boot.bin');
    const r = await device('sign', '--device', cart, '--type', 'boot', '--out', out);
    assert.equal(r.code, 0, r.text);
    assert.match(
      r.out,
      /Signed boot from CART-0001, counter [0-9]+: .*boot\.bin \([0-9]+ bytes\)\nPublish it on dt\/cart\/CART-0001\/boot/,
    );
    const split = splitFrame(await readFile(out))!;
    const cert = await readFile(join(cart, 'device.cert.pem'), 'utf8');
    assert.ok(verifyBody(split.body, split.signature, createPublicKey(cert)));
    assert.equal(JSON.parse(Buffer.from(split.body).toString('utf8')).device_id, 'CART-0001');
  });

  it("names the device and the reason in the platform's log when a revoked device is refused", async () => {
    const revoked = await provisionDevice(data, 'CART-0666');
    assert.equal((await send(revoked, 'boot')).code, 0);
    await runCli('revoke', '--data', data, '--serial', 'CART-0666');
    const refused = await send(revoked, 'boot');
    assert.equal(refused.code, 1, refused.text);
    assert.match(
      refused.err,
      /CART-0666 could not connect to mqtts:.*Not authorized.*\[connection-refused\]/,
    );
    const line = await eventually(
      () =>
        log.lines.find(
          (l) => l['msg'] === 'device refused at admission' && l['device_id'] === 'CART-0666',
        ),
      `the refusal in the log: ${JSON.stringify(log.lines.filter((l) => l['level'] !== 30))}`,
    );
    assert.equal(line['reason'], 'revoked', JSON.stringify(line));
  });

  it('docs/protocol.md: mosquitto_pub stores a file device sign wrote, mosquitto_rr shows the duplicate answer', async (t) => {
    const tools = ['mosquitto_pub', 'mosquitto_rr'].every(
      (tool) => spawnSync(tool, ['--help']).error === undefined,
    );
    if (!needEngine(t, tools && distBuilt, 'mosquitto_pub, mosquitto_rr and a built dist/')) return;
    const port = new URL(platform.mqttUrl).port;
    const lines = (await shellBlock('docs/protocol.md', '## 9. Trying it from a shell')).map((l) =>
      l
        .replaceAll('./fleet-data/devices/CART-0001', cart)
        .replaceAll('-p 8883', `-p ${port}`)
        .replaceAll('npx fleetplane', `node ${builtBin}`),
    );
    const before = await stored('CART-0001');
    const run = await runScript(lines, await tempDir(t));
    assert.equal(run.status, 0, run.transcript);
    const signed = run.steps.find((s) => s.line.includes('device sign'))!;
    const counter = Number(/counter ([0-9]+)/.exec(signed.output)?.[1]);
    const after = await stored('CART-0001');
    assert.deepEqual(
      after.filter((c) => !before.includes(c)),
      [counter],
      'mosquitto_pub stored the signed file once',
    );
    const answer = run.steps.find((s) => s.line.startsWith('mosquitto_rr'))!;
    const feedback = JSON.parse(answer.output) as { reason: string; counter: number };
    assert.equal(feedback.reason, 'replay', run.transcript);
    assert.equal(feedback.counter, counter);
  });
});
