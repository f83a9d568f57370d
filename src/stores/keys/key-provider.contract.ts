import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { isFailure } from '../../shared/failure.js';
import type { Clock, KeyProvider } from './key-provider.js';

const DAY = 24 * 60 * 60 * 1000;

/** A clock the suite moves; starts mid-quarter. */
export class MovableClock {
  constructor(public current = new Date('2026-05-10T09:00:00Z')) {}
  readonly now: Clock = () => new Date(this.current.getTime());
  set(iso: string): void {
    this.current = new Date(iso);
  }
  advanceDays(days: number): void {
    this.current = new Date(this.current.getTime() + days * DAY);
  }
}

function rejectsWith(code: string) {
  return (error: unknown) => {
    assert.ok(isFailure(error), String(error));
    assert.equal(error.code, code);
    return true;
  };
}

/**
 * The behaviour every KeyProvider adapter must have: the local keyring runs it, a KMS adapter
 * will. `make` returns an empty provider reading time from `clock`; `reopen` (optional) returns a
 * second provider over the same storage, as a new process would see it.
 */
export function runKeyProviderContract(
  name: string,
  make: (
    t: TestContext,
    clock: Clock,
  ) => Promise<{ provider: KeyProvider; reopen?: () => KeyProvider }>,
): void {
  describe(`KeyProvider contract: ${name}`, () => {
    it('gives the same current salt until the quarter turns, then a new one', async (t) => {
      const clock = new MovableClock();
      const { provider } = await make(t, clock.now);
      const a = await provider.currentSalt();
      assert.equal(a.material.length, 32);
      clock.set('2026-06-30T23:59:59Z');
      assert.equal((await provider.currentSalt()).id, a.id);
      clock.set('2026-07-02T08:00:00Z');
      const b = await provider.currentSalt();
      assert.notEqual(b.id, a.id);
      assert.notDeepEqual(b.material, a.material);
      assert.equal(b.quarter, '2026q3');
      assert.equal(b.activeFrom.toISOString(), '2026-07-01T00:00:00.000Z');
    });

    it('keeps the previous salt usable for exactly 30 days after rotation, and refuses it after', async (t) => {
      const clock = new MovableClock();
      const { provider } = await make(t, clock.now);
      const old = await provider.currentSalt();
      clock.set('2026-07-15T00:00:00Z');
      await provider.currentSalt(); // rotation took effect 2026-07-01T00:00Z
      assert.deepEqual((await provider.salt(old.id)).material, old.material);
      clock.set('2026-07-30T23:59:59.999Z');
      assert.deepEqual((await provider.salt(old.id)).material, old.material);
      clock.set('2026-07-31T00:00:00Z');
      await assert.rejects(provider.salt(old.id), rejectsWith('salt-expired'));
      const status = await provider.saltStatus();
      assert.deepEqual(
        status.map((s) => s.state),
        ['expired', 'current'],
      );
    });

    it('refuses an old salt after its 30 days even when nobody asked for the new one', async (t) => {
      const clock = new MovableClock();
      const { provider } = await make(t, clock.now);
      const old = await provider.currentSalt();
      clock.set('2026-08-15T00:00:00Z');
      await assert.rejects(provider.salt(old.id), rejectsWith('salt-expired'));
    });

    it('a manual rotation takes effect at once and starts the 30 days then', async (t) => {
      const clock = new MovableClock();
      const { provider } = await make(t, clock.now);
      const old = await provider.currentSalt();
      clock.advanceDays(3);
      const fresh = await provider.rotateSalt();
      assert.notEqual(fresh.id, old.id);
      assert.equal((await provider.currentSalt()).id, fresh.id);
      clock.advanceDays(29);
      assert.ok(await provider.salt(old.id));
      clock.advanceDays(1);
      await assert.rejects(provider.salt(old.id), rejectsWith('salt-expired'));
    });

    it('refuses a salt id it never issued', async (t) => {
      const { provider } = await make(t, new MovableClock().now);
      await provider.currentSalt();
      await assert.rejects(provider.salt('1999q1-1'), rejectsWith('unknown-salt'));
    });

    it('gives a stable 256-bit data key per name and different keys for different names', async (t) => {
      const { provider, reopen } = await make(t, new MovableClock().now);
      const a = await provider.dataKey('domain.tool-telemetry.token');
      assert.equal(a.length, 32);
      assert.deepEqual(await provider.dataKey('domain.tool-telemetry.token'), a);
      assert.notDeepEqual(await provider.dataKey('domain.support-tickets.token'), a);
      if (reopen) assert.deepEqual(await reopen().dataKey('domain.tool-telemetry.token'), a);
    });

    it('destroys a data key for good: it cannot be read or re-created', async (t) => {
      const { provider, reopen } = await make(t, new MovableClock().now);
      await provider.dataKey('account.a-1.data');
      assert.equal(await provider.destroyDataKey('account.a-1.data'), true);
      assert.equal(await provider.destroyDataKey('account.a-1.data'), false);
      await assert.rejects(provider.dataKey('account.a-1.data'), rejectsWith('key-destroyed'));
      if (reopen) {
        await assert.rejects(reopen().dataKey('account.a-1.data'), rejectsWith('key-destroyed'));
      }
    });

    it('refuses key names that could leave its storage', async (t) => {
      const { provider } = await make(t, new MovableClock().now);
      for (const bad of ['../master', 'a/b', '', 'UPPER']) {
        await assert.rejects(provider.dataKey(bad), rejectsWith('invalid-key-name'));
      }
    });
  });
}
