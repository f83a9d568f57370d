// Retention end to end (issue 22, decision 063): a data directory with telemetry, sessions, a
// receipt, an open and an erased account, a vault record and audit records of various ages;
// `retention plan` with a moved clock lists exactly what is due, `retention run` applies it, the
// audit chain still verifies and still catches tampering, and a second run does nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capture, caDataDir } from '../test-support/cli.js';
import { shoppingTrip, TestDevice, T0 } from '../test-support/entity-events.js';
import { main } from '../src/cli/main.js';
import { retentionCommands } from '../src/cli/retention/index.js';
import { receiptBlobKey } from '../src/domain/checkout/receipt.js';
import { openCustomerStores } from '../src/domain/customers/customer-stores.js';
import type { RetentionReport } from '../src/domain/retention/retention-job.js';
import { platformLayout } from '../src/platform/platform-layout.js';
import { SqliteDatabase } from '../src/stores/data-dir/sqlite-driver.js';
import { auditLogFile, SqliteAuditLog } from '../src/stores/audit/index.js';
import { DirectoryBlobStore } from '../src/stores/blobs/directory-blob-store.js';
import { openEntityStore } from '../src/stores/entities/index.js';
import { LocalKeyring } from '../src/stores/keys/index.js';
import { SqliteTelemetryStore } from '../src/stores/telemetry/sqlite-telemetry-store.js';
import { record } from '../src/stores/telemetry/telemetry-store.contract.js';

const HOUR = 3_600_000;
const sealed = { iv: 'aXY=', ct: 'Y3Q=', tag: 'dGFn' };

async function retention(...argv: string[]) {
  const io = capture();
  const code = await main(['retention', ...argv], io, retentionCommands());
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

async function report(word: 'plan' | 'run', data: string, now: string) {
  const { code, out, err } = await retention(word, '--data', data, '--now', now, '--json');
  assert.equal(code, 0, err);
  const parsed = JSON.parse(out) as RetentionReport;
  return { ...parsed, counts: Object.fromEntries(parsed.lines.map((l) => [l.what, l.count])) };
}

const NOTHING = {
  'telemetry events': 0,
  'daily aggregates (device-days)': 0,
  sessions: 0,
  receipts: 0,
  accounts: 0,
  'vault records (us)': 0,
  'vault records (eu)': 0,
  'audit records': 0,
};

async function seed(data: string) {
  const layout = platformLayout(data);
  const telemetry = new SqliteTelemetryStore(layout.telemetryDb);
  await telemetry.append([
    record('CART-0001', 1, { deviceTime: Date.parse('2026-01-10T12:00:00Z') }),
    record('CART-0001', 2, { deviceTime: Date.parse('2026-11-30T12:00:00Z') }),
    record('CART-0001', 3, { deviceTime: Date.parse('2033-06-01T12:00:00Z') }),
  ]);
  await telemetry.close();

  const entities = await openEntityStore({ dataDir: data });
  const cart = new TestDevice('CART-1');
  const [anonymous, kept, erased] = [1, 2, 3].map(() => shoppingTrip(cart, { scans: 1 }));
  await entities.project([...anonymous!.events, ...kept!.events, ...erased!.events]);
  const live = await entities.createAccount({ kind: 'member', region: 'eu' });
  const gone = await entities.createAccount({ kind: 'member', region: 'us' });
  await entities.attachAccount(kept!.sessionId, live.customerId);
  await entities.attachAccount(erased!.sessionId, gone.customerId);
  await entities.forgetAccount(gone.customerId, T0 + HOUR);
  await entities.recordCheckout({
    ...{ sessionId: anonymous!.sessionId, deviceId: 'CART-1', storeId: 'store-1', counter: 9 },
    ...{ outcome: 'paid', paidCents: 100, paymentRef: 'pay_1', receiptId: 'rcpt_1' },
    ...{ reason: null, reconciledAt: new Date(T0).toISOString(), retryAt: null },
  });
  await entities.close();
  const blobs = new DirectoryBlobStore(layout.blobsDir);
  await blobs.put(receiptBlobKey('store-1', anonymous!.sessionId), Buffer.from('{}'));

  const customers = await openCustomerStores({ dataDir: data, keys: new LocalKeyring(data) });
  const vault = customers.vaults.get('us')!;
  await vault.putAccount({
    accountId: gone.customerId,
    fields: { email: sealed },
    at: new Date(T0),
  });
  await vault.markErased(gone.customerId, new Date(T0 + HOUR));
  await customers.close();

  const stamps = ['2026-11-23', '2026-11-24', '2026-11-25', '2030-01-01', '2030-01-02'];
  let i = 0;
  const audit = new SqliteAuditLog(auditLogFile(data), {
    now: () => new Date(`${stamps[i++]}T10:00:00Z`),
  });
  for (const n of stamps.keys()) {
    await audit.append({
      actor: { role: 'privacy', subject: 'p-1' },
      action: 'decrypt',
      purpose: `support case ${n}`,
    });
  }
  await audit.close();
  return { layout, blobs, anonymous: anonymous!, kept: kept!, gone };
}

describe('retention plan and run with a moved clock', () => {
  it('lists exactly what is due, applies it, keeps the audit chain verifiable, and runs once', async (t) => {
    const data = await caDataDir(t);
    const { layout, blobs, anonymous, kept, gone } = await seed(data);

    const today = await retention('plan', '--data', data, '--now', '2026-12-01T00:00:00Z');
    assert.equal(today.code, 0, today.err);
    assert.match(today.out, /dry run: nothing changed/);
    assert.match(today.out, /Nothing is due\./);

    // 18 months on: the two 2026 days of telemetry are due, nothing else.
    const later = '2028-06-01T00:00:00Z';
    const plan = await report('plan', data, later);
    assert.equal(plan.applied, false);
    assert.deepEqual(plan.counts, { ...NOTHING, 'telemetry events': 2 });
    const raw = plan.lines.find((l) => l.rule === 'telemetry-raw')!;
    assert.equal(raw.cutoff, '2026-12-01T00:00:00.000Z');
    assert.equal(raw.why, 'tier 1: 18 months hot; device time before 2026-12-01');
    const text = await retention('plan', '--data', data, '--now', later);
    assert.match(text.out, /telemetry events +2 +fold into daily aggregates, then delete/);

    const run = await report('run', data, later);
    assert.equal(run.applied, true);
    assert.deepEqual(run.counts, plan.counts, 'the run did what the plan said');
    assert.deepEqual((await report('run', data, later)).counts, NOTHING, 'a second run is a no-op');
    const telemetry = new SqliteTelemetryStore(layout.telemetryDb);
    const days = await telemetry.dailyAggregates('CART-0001', 0, Date.parse(later));
    assert.deepEqual(
      days.filter((d) => d.field === '#events').map((d) => [d.day, d.count]),
      [
        ['2026-01-10', 1],
        ['2026-11-30', 1],
      ],
    );
    await telemetry.close();

    // Seven years on: aggregates past 5 years, the sessions, receipt, account, vault record and
    // audit records past 7 years.
    const much = '2033-12-01T00:00:00Z';
    const due = {
      ...NOTHING,
      'daily aggregates (device-days)': 2,
      sessions: 2,
      receipts: 1,
      accounts: 1,
      'vault records (us)': 1,
      'audit records': 3,
    };
    assert.deepEqual((await report('plan', data, much)).counts, due);
    assert.deepEqual((await report('run', data, much)).counts, due);
    assert.deepEqual((await report('run', data, much)).counts, NOTHING, 'a second run is a no-op');

    assert.equal(await blobs.head(receiptBlobKey('store-1', anonymous.sessionId)), undefined);
    const entities = await openEntityStore({ dataDir: data });
    assert.equal(await entities.getSession(anonymous.sessionId), undefined);
    assert.ok(await entities.getSession(kept.sessionId), 'an open account keeps its sessions');
    assert.equal(await entities.getAccount(gone.customerId), undefined);
    await entities.close();
    const customers = await openCustomerStores({ dataDir: data, keys: new LocalKeyring(data) });
    assert.equal(await customers.vaults.get('us')!.getAccount(gone.customerId), undefined);
    const chain = await customers.audit.verify();
    assert.equal(chain.ok, true, chain.reason);
    assert.equal(chain.startsAt, 4);
    const [anchor] = await customers.audit.query({ action: 'retention' });
    assert.equal(anchor?.detail?.['deletedThrough'], 3);
    const [deletion] = await customers.audit.query({ action: 'delete' });
    assert.equal(deletion?.detail?.['accounts'], 1, 'the PII deletion is audited');
    await customers.close();

    // Someone with the file edits a kept record: verification still says so.
    const raw2 = new SqliteDatabase(auditLogFile(data));
    raw2.exec('DROP TRIGGER audit_records_no_update');
    raw2.prepare("UPDATE audit_records SET purpose = 'nothing' WHERE seq = 5").run();
    raw2.close();
    const audit = new SqliteAuditLog(auditLogFile(data));
    const tampered = await audit.verify();
    assert.deepEqual([tampered.ok, tampered.brokenAt], [false, 5]);
    await audit.close();
  });

  it('answers a bad --now, an unknown flag or a missing --data with the usage, exit 2', async (t) => {
    const data = await caDataDir(t);
    for (const argv of [
      ['plan', '--data', data, '--now', 'tomorrow'],
      ['run', '--data', data, '--now', '2028-13-45'],
      ['plan', '--data', data, '--dry-run'],
      ['run'],
    ]) {
      const { code, err } = await retention(...argv);
      assert.equal(code, 2, argv.join(' '));
      assert.match(
        err,
        /usage: fleetplane retention (plan|run) \(--data DIR \[--now ISO\] \| --url URL --token TOKEN \[--ca FILE\]\) \[--json\]/,
      );
    }
    const missing = await retention('plan', '--data', `${data}/nope`);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /no data directory/);
  });
});
