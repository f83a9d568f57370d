import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger } from '../../shared/observability/logger.js';
import { StoreOutage, storeFailureCause } from './store-outage.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, log: createLogger({ level: 'info', destination }) };
}

const full = new Error('database or disk is full');
const flush = () => new Promise((r) => setImmediate(r));

describe('a telemetry store outage', () => {
  it('is logged once when it starts, in words, then reminded at most every interval', async () => {
    const { lines, log } = capture();
    let now = 0;
    const gauge: number[] = [];
    const outage = new StoreOutage({
      log,
      writable: { set: (v) => gauge.push(v) },
      now: () => now,
      remindEveryMs: 30_000,
    });
    for (let i = 0; i < 50; i++) {
      now += 100;
      outage.failed(full);
    }
    await flush();
    assert.equal(lines.length, 1, 'fifty failed writes in five seconds: one line');
    assert.match(
      String(lines[0]!['msg']),
      /telemetry store cannot write \(the disk is full\): messages stay unacknowledged/,
    );
    assert.equal(lines[0]!['level'], 50);
    now += 30_000;
    outage.failed(full);
    await flush();
    assert.equal(lines.length, 2);
    assert.match(String(lines[1]!['msg']), /still cannot write \(the disk is full\) after 35 s/);
    assert.deepEqual(gauge, [1, 0], 'writable until the first failure, then not');
    assert.equal(outage.failing, true);
  });

  it('ends with the first write that succeeds, saying how long and how many writes failed', async () => {
    const { lines, log } = capture();
    let now = 1000;
    const gauge: number[] = [];
    const outage = new StoreOutage({
      log,
      writable: { set: (v) => gauge.push(v) },
      now: () => now,
    });
    outage.succeeded();
    outage.failed(full);
    now += 4000;
    outage.failed(full);
    outage.succeeded();
    outage.succeeded();
    await flush();
    assert.equal(lines.length, 2, 'a start and an end; successes outside an outage say nothing');
    assert.match(String(lines[1]!['msg']), /writes again after 2 failed writes over 4 s/);
    assert.deepEqual(gauge, [1, 0, 1]);
    assert.equal(outage.failing, false);
  });

  it('names a full disk and a read-only store, and passes any other cause through', () => {
    assert.equal(storeFailureCause(full), 'the disk is full');
    assert.equal(
      storeFailureCause(Object.assign(new Error('x'), { code: 'ENOSPC' })),
      'the disk is full',
    );
    assert.equal(
      storeFailureCause(new Error('attempt to write a readonly database')),
      'the store is read-only',
    );
    assert.equal(storeFailureCause(new Error('disk I/O error')), 'disk I/O error');
  });
});
