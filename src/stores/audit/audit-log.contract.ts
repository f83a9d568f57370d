import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { isFailure } from '../../shared/failure.js';
import { auditHash } from './audit-hash.js';
import type { AuditEntry, AuditLog, AuditRecord } from './audit-log.js';

/** What the suite needs of an adapter: the log, and the access an attacker with the file has. */
export interface AuditLogUnderTest {
  readonly log: AuditLog;
  /** A second log over the same storage, as another process would open it. */
  reopen(): Promise<AuditLog>;
  /** Runs one statement directly on the database, around the adapter; returns its rows. */
  sql(statement: string): Promise<Record<string, unknown>[]>;
  /** Drops the triggers that make the table append-only, as an attacker with file access would. */
  dropGuards(): Promise<void>;
}

const BASE = Date.parse('2026-05-10T09:00:00.000Z');
const MINUTE = 60_000;

/** A clock that moves one minute per call: record n is stamped BASE + (n - 1) minutes. */
function steppingClock(): () => Date {
  let calls = 0;
  return () => new Date(BASE + MINUTE * calls++);
}

const staff = { role: 'staff', subject: 'staff-17' };

function entry(n: number, extra: Partial<AuditEntry> = {}): AuditEntry {
  return { actor: staff, action: 'decrypt', purpose: `greet customer ${n}`, ...extra };
}

async function appendAll(log: AuditLog, entries: readonly AuditEntry[]): Promise<AuditRecord[]> {
  const out = [];
  for (const e of entries) out.push(await log.append(e));
  return out;
}

function rejectsWith(code: string) {
  return (error: unknown) => {
    assert.ok(isFailure(error), String(error));
    assert.equal(error.code, code);
    return true;
  };
}

/**
 * The behaviour every AuditLog adapter must have. `open` returns an empty log whose records are
 * stamped by `now`, or undefined when its engine is missing (the test was skipped).
 */
export function auditLogContract(
  name: string,
  open: (t: TestContext, now: () => Date) => Promise<AuditLogUnderTest | undefined>,
): void {
  async function fiveRecords(t: TestContext) {
    const under = await open(t, steppingClock());
    if (!under) return undefined;
    const records = await appendAll(
      under.log,
      [1, 2, 3, 4, 5].map((n) => entry(n)),
    );
    return { ...under, records };
  }

  describe(`AuditLog contract: ${name}`, () => {
    it('appends a chain: seq 1..n, each linked to the previous hash, each hash recomputable', async (t) => {
      const under = await fiveRecords(t);
      if (!under) return;
      const stored = await under.log.query({});
      assert.deepEqual(stored, under.records);
      let prev = '';
      for (const [i, r] of stored.entries()) {
        assert.equal(r.seq, i + 1);
        assert.equal(r.prevHash, prev);
        const { prevHash, hash, ...hashed } = r;
        assert.equal(auditHash(prevHash, hashed), hash);
        assert.match(hash, /^[0-9a-f]{64}$/);
        prev = hash;
      }
    });

    it('returns records oldest first, filtered by account, device, store, action, time and seq', async (t) => {
      const under = await open(t, steppingClock());
      if (!under) return;
      const { log } = under;
      await appendAll(log, [
        entry(1, { accountId: 'acc-a', storeId: 'S1' }),
        entry(2, { accountId: 'acc-b', deviceId: 'CART-1', storeId: 'S1' }),
        entry(3, { accountId: 'acc-a', action: 'export' }),
        entry(4, { deviceId: 'CART-1', action: 'staff-override', storeId: 'S2' }),
        entry(5, { accountId: 'acc-a', storeId: 'S1' }),
      ]);
      const seqs = async (q: Parameters<AuditLog['query']>[0]) =>
        (await log.query(q)).map((r) => r.seq);
      assert.deepEqual(await seqs({ accountId: 'acc-a' }), [1, 3, 5]);
      assert.deepEqual(await seqs({ deviceId: 'CART-1' }), [2, 4]);
      assert.deepEqual(await seqs({ storeId: 'S1' }), [1, 2, 5]);
      assert.deepEqual(await seqs({ action: 'export' }), [3]);
      assert.deepEqual(await seqs({ accountId: 'acc-a', storeId: 'S1' }), [1, 5]);
      // Record n was stamped at BASE + (n - 1) minutes; since is inclusive, until exclusive.
      const at = (n: number) => new Date(BASE + (n - 1) * MINUTE);
      assert.deepEqual(await seqs({ since: at(2), until: at(4) }), [2, 3]);
      assert.deepEqual(await seqs({ since: at(5) }), [5]);
      assert.deepEqual(await seqs({ afterSeq: 3 }), [4, 5]);
      assert.deepEqual(await seqs({ afterSeq: 1, limit: 2 }), [2, 3]);
      assert.deepEqual(await seqs({ accountId: 'nobody' }), []);
    });

    it('verifies an empty log and an untouched one, naming the head hash', async (t) => {
      const under = await open(t, steppingClock());
      if (!under) return;
      assert.deepEqual(await under.log.verify(), { ok: true, records: 0, headHash: '' });
      const records = await appendAll(
        under.log,
        [1, 2, 3].map((n) => entry(n)),
      );
      assert.deepEqual(await under.log.verify(), {
        ok: true,
        records: 3,
        headHash: records[2]!.hash,
      });
    });

    it('detects an edited field at the record that was edited', async (t) => {
      const under = await fiveRecords(t);
      if (!under) return;
      await under.dropGuards();
      const original = under.records[2]!;
      const edits: [column: string, tampered: string, restored: string][] = [
        ['purpose', "'nothing to see'", `'${original.purpose}'`],
        ['account_id', "'acc-someone-else'", 'NULL'],
        ['actor_subject', "'staff-99'", `'${original.actor.subject}'`],
        ['fields', `'["email"]'`, 'NULL'],
        ['at', "'2026-05-10T09:30:00.000Z'", `'${original.at.toISOString()}'`],
      ];
      for (const [column, tampered, restored] of edits) {
        await under.sql(`UPDATE audit_records SET ${column} = ${tampered} WHERE seq = 3`);
        const result = await under.log.verify();
        assert.equal(result.ok, false, column);
        assert.equal(result.brokenAt, 3, column);
        assert.equal(result.records, 5);
        await under.sql(`UPDATE audit_records SET ${column} = ${restored} WHERE seq = 3`);
        assert.equal((await under.log.verify()).ok, true, `${column} restored`);
      }
    });

    it('detects a removed record in the middle, and a removed first record', async (t) => {
      const under = await fiveRecords(t);
      if (!under) return;
      await under.dropGuards();
      await under.sql('DELETE FROM audit_records WHERE seq = 3');
      const middle = await under.log.verify();
      assert.equal(middle.ok, false);
      assert.equal(middle.brokenAt, 4);
      assert.equal(middle.records, 4);
      await under.sql('DELETE FROM audit_records WHERE seq = 1');
      assert.equal((await under.log.verify()).brokenAt, 2);
    });

    it('detects reordered records', async (t) => {
      const under = await fiveRecords(t);
      if (!under) return;
      await under.dropGuards();
      // Three steps: both engines check the primary key row by row, so a swap needs a spare seq.
      await under.sql('UPDATE audit_records SET seq = 1000 WHERE seq = 2');
      await under.sql('UPDATE audit_records SET seq = 2 WHERE seq = 3');
      await under.sql('UPDATE audit_records SET seq = 3 WHERE seq = 1000');
      const result = await under.log.verify();
      assert.equal(result.ok, false);
      assert.equal(result.brokenAt, 2);
    });

    it('refuses UPDATE and DELETE at the engine while its triggers stand', async (t) => {
      const under = await fiveRecords(t);
      if (!under) return;
      await assert.rejects(
        under.sql("UPDATE audit_records SET purpose = 'x' WHERE seq = 2"),
        /append-only/,
      );
      await assert.rejects(under.sql('DELETE FROM audit_records WHERE seq = 5'), /append-only/);
      await assert.rejects(under.sql('DELETE FROM audit_records'), /append-only/);
      assert.deepEqual(await under.log.verify(), {
        ok: true,
        records: 5,
        headHash: under.records[4]!.hash,
      });
    });

    it('stores only the values it was given, and none it was not', async (t) => {
      const under = await open(t, steppingClock());
      if (!under) return;
      const bare = await under.log.append(entry(1));
      assert.deepEqual(Object.keys(bare).sort(), [
        'action',
        'actor',
        'at',
        'hash',
        'prevHash',
        'purpose',
        'seq',
      ]);
      // A caller that spreads a customer object into an entry by mistake: the extra values stay out.
      const careless = {
        ...entry(2, { accountId: 'acc-a', fields: ['email'], detail: { sessionId: 's-1', n: 2 } }),
        email: 'jane.doe@example.com',
        actor: { ...staff, phone: '+1 555 0100' },
        detail: { sessionId: 's-1', n: 2 },
      } as AuditEntry;
      const record = await under.log.append(careless);
      const [stored] = await under.log.query({ afterSeq: 1 });
      assert.deepEqual(stored, record);
      assert.deepEqual(record.actor, staff);
      assert.deepEqual(record.detail, { sessionId: 's-1', n: 2 });
      const raw = JSON.stringify(await under.sql('SELECT * FROM audit_records'));
      assert.ok(!raw.includes('jane.doe'), raw);
      assert.ok(!raw.includes('555 0100'), raw);
      assert.equal((await under.log.verify()).ok, true);
    });

    it('refuses an entry without an actor or purpose, with an unknown action, or a non-finite number', async (t) => {
      const under = await open(t, steppingClock());
      if (!under) return;
      const bad: unknown[] = [
        { ...entry(1), purpose: '  ' },
        { ...entry(1), actor: { role: 'staff', subject: '' } },
        { ...entry(1), action: 'peek' },
        { ...entry(1), detail: { n: Number.NaN } },
        { ...entry(1), detail: { nested: { a: 1 } } },
        { ...entry(1), fields: 'email' },
      ];
      for (const e of bad) {
        await assert.rejects(under.log.append(e as AuditEntry), rejectsWith('invalid-audit-entry'));
      }
      assert.deepEqual(await under.log.query({}), []);
    });

    it('keeps one chain when two logs on one storage append interleaved', async (t) => {
      const under = await open(t, steppingClock());
      if (!under) return;
      const other = await under.reopen();
      t.after(() => other.close());
      await Promise.all(
        Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? under.log : other).append(entry(i))),
      );
      const result = await other.verify();
      assert.equal(result.ok, true, result.reason);
      assert.equal(result.records, 40);
      assert.deepEqual(
        (await under.log.query({})).map((r) => r.seq),
        Array.from({ length: 40 }, (_, i) => i + 1),
      );
    });

    describe('retention', () => {
      const retention = { role: 'service', subject: 'retention' };
      /** Records 1-3 were stamped before this; 4 and 5 after. */
      const cutoff = new Date(BASE + 2 * MINUTE + 1000);

      it('deletes the oldest records behind an anchor, and the kept chain verifies from it', async (t) => {
        const under = await fiveRecords(t);
        if (!under) return;
        assert.deepEqual(await under.log.pruneDue(cutoff), { records: 3, through: 3 });
        assert.equal((await under.log.query({})).length, 5, 'a plan deletes nothing');
        const outcome = await under.log.prune(cutoff, retention);
        assert.equal(outcome.records, 3);
        assert.equal(outcome.anchor?.seq, 6);
        assert.equal(outcome.anchor?.action, 'retention');
        assert.deepEqual(outcome.anchor?.detail, {
          deletedThrough: 3,
          deletedThroughHash: under.records[2]!.hash,
          deleted: 3,
          writtenBefore: cutoff.toISOString(),
        });
        assert.equal(outcome.anchor?.prevHash, under.records[4]!.hash, 'linked at the head');
        assert.deepEqual(
          (await under.log.query({})).map((r) => r.seq),
          [4, 5, 6],
        );
        assert.deepEqual(await under.log.verify(), {
          ok: true,
          records: 3,
          headHash: outcome.anchor!.hash,
          startsAt: 4,
        });
        assert.deepEqual(await under.log.prune(cutoff, retention), { records: 0, through: 0 });
        assert.equal((await under.log.query({})).length, 3, 'a second run does nothing');
        // A later prune may take the first anchor with it: the newest one still vouches.
        const later = await under.log.prune(new Date(BASE + 60 * MINUTE), retention);
        assert.deepEqual([later.records, later.through, later.anchor?.seq], [3, 6, 7]);
        const again = await under.log.verify();
        assert.deepEqual([again.ok, again.records, again.startsAt], [true, 1, 7]);
      });

      it('still finds an edited, removed or forged record in what it kept', async (t) => {
        const under = await fiveRecords(t);
        if (!under) return;
        await under.log.prune(cutoff, retention);
        await under.dropGuards();
        await under.sql("UPDATE audit_records SET purpose = 'nothing to see' WHERE seq = 5");
        const edited = await under.log.verify();
        assert.deepEqual([edited.ok, edited.brokenAt], [false, 5]);
        await under.sql(`UPDATE audit_records SET purpose = 'greet customer 5' WHERE seq = 5`);
        assert.equal((await under.log.verify()).ok, true, 'restored');
        // Claiming one more record deleted than the anchor did, and deleting it, breaks the anchor.
        const forged = JSON.stringify({
          deleted: 4,
          deletedThrough: 4,
          deletedThroughHash: under.records[3]!.hash,
          writtenBefore: cutoff.toISOString(),
        });
        await under.sql(`UPDATE audit_records SET detail = '${forged}' WHERE seq = 6`);
        await under.sql('DELETE FROM audit_records WHERE seq = 4');
        const result = await under.log.verify();
        assert.deepEqual([result.ok, result.brokenAt], [false, 6]);
      });

      it('refuses at the engine to delete a record no anchor covers', async (t) => {
        const under = await fiveRecords(t);
        if (!under) return;
        await under.log.prune(cutoff, retention);
        await assert.rejects(under.sql('DELETE FROM audit_records WHERE seq = 4'), /append-only/);
        assert.equal((await under.log.verify()).ok, true);
      });
    });
  });
}
