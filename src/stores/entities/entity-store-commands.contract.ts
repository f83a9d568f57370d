import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it, type TestContext } from 'node:test';
import { TestDevice, T0 } from '../../../test-support/entity-events.js';
import type { EntityStore } from './entity-store.js';

const CART = 'CART-1';

async function withCart(
  open: (t: TestContext) => Promise<EntityStore | undefined>,
  t: TestContext,
): Promise<EntityStore | undefined> {
  const store = await open(t);
  await store?.upsertDevice({
    deviceId: CART,
    storeId: 'store-1',
    deviceClass: 'cart',
    certSerialHex: '01',
  });
  return store;
}

/** The command ledger and the device shadow (entity-store.contract.ts runs these). */
export function commandContractTests(
  open: (t: TestContext) => Promise<EntityStore | undefined>,
): void {
  it('records a command pending, settles it once with the first answer, and ignores an unknown id', async (t) => {
    const store = await withCart(open, t);
    if (!store) return;
    const commandId = randomUUID();
    const sent = await store.insertCommand({
      commandId,
      deviceId: CART,
      name: 'sync-catalog',
      args: {},
      requestedBy: 'ops:olga',
      sentAt: T0,
      expiresAt: T0 + 30_000,
    });
    assert.equal(sent?.status, 'pending');
    assert.equal(sent?.attempts, 1);
    assert.equal(sent?.expiresAt, new Date(T0 + 30_000).toISOString());
    const unknownDevice = await store.insertCommand({
      commandId: randomUUID(),
      deviceId: 'CART-404',
      name: 'ping',
      args: {},
      requestedBy: 'ops:olga',
      sentAt: T0,
      expiresAt: T0 + 1,
    });
    assert.equal(unknownDevice, undefined);

    const answer = {
      commandId,
      deviceId: CART,
      status: 'succeeded',
      code: null,
      duplicate: false,
      at: T0 + 800,
    } as const;
    const applied = await store.recordCommandResponse(answer);
    assert.equal(applied.outcome, 'applied');
    assert.equal((await store.recordCommandResponse(answer)).outcome, 'unchanged');
    const late = await store.recordCommandResponse({
      ...answer,
      status: 'failed',
      code: 'error',
      duplicate: true,
    });
    assert.equal(late.outcome, 'unchanged', 'the first outcome stands');
    const stored = await store.getCommand(commandId);
    assert.equal(stored?.status, 'succeeded');
    assert.equal(stored?.respondedAt, new Date(T0 + 800).toISOString());
    const foreign = await store.recordCommandResponse({ ...answer, deviceId: 'CART-2' });
    assert.equal(foreign.outcome, 'unknown', 'another device cannot answer for this one');
    const stranger = await store.recordCommandResponse({ ...answer, commandId: randomUUID() });
    assert.equal(stranger.outcome, 'unknown');
    assert.equal(await store.getCommand('not-a-uuid'), undefined);
  });

  it('times out pending commands past their expiry, re-sends only those, and takes a late answer', async (t) => {
    const store = await withCart(open, t);
    if (!store) return;
    const insert = (name: string, expiresAt: number, at = T0) =>
      store.insertCommand({
        commandId: randomUUID(),
        deviceId: CART,
        name,
        args: {},
        requestedBy: 'ops:olga',
        sentAt: at,
        expiresAt,
      });
    const due = await insert('ping', T0 + 1000);
    const later = await insert('reboot', T0 + 60_000, T0 + 1);
    const expired = await store.expireCommands(T0 + 1000, 100);
    assert.deepEqual(
      expired.map((c) => [c.commandId, c.status, c.code]),
      [[due!.commandId, 'failed', 'timeout']],
    );
    assert.deepEqual(await store.expireCommands(T0 + 1000, 100), [], 'once');
    assert.equal(await store.resendCommand(later!.commandId, T0 + 2000, T0 + 9000), undefined);

    const again = await store.resendCommand(due!.commandId, T0 + 2000, T0 + 9000);
    assert.equal(again?.status, 'pending');
    assert.equal(again?.attempts, 2);
    assert.equal(again?.code, null);
    assert.equal(again?.sentAt, new Date(T0 + 2000).toISOString());
    await store.expireCommands(T0 + 9000, 100);
    const answered = await store.recordCommandResponse({
      commandId: due!.commandId,
      deviceId: CART,
      status: 'succeeded',
      code: null,
      duplicate: true,
      at: T0 + 9500,
    });
    assert.equal(answered.outcome, 'applied', 'a late answer replaces the timeout');
    assert.equal((await store.getCommand(due!.commandId))?.status, 'succeeded');
    assert.equal(await store.resendCommand(due!.commandId, T0, T0 + 1), undefined);

    const listed = await store.listDeviceCommands(CART, 10);
    assert.deepEqual(
      listed.map((c) => c.name),
      ['reboot', 'ping'],
      'newest first',
    );
    assert.equal((await store.listDeviceCommands(CART, 1)).length, 1);
  });

  it('lists a device its pending commands that have not expired, oldest first', async (t) => {
    const store = await withCart(open, t);
    if (!store) return;
    await store.upsertDevice({
      deviceId: 'CART-2',
      storeId: 'store-1',
      deviceClass: 'cart',
      certSerialHex: '02',
    });
    const insert = async (deviceId: string, sentAt: number, expiresAt: number) => {
      const c = await store.insertCommand({
        commandId: randomUUID(),
        deviceId,
        name: 'ping',
        args: {},
        requestedBy: 'ops:olga',
        sentAt,
        expiresAt,
      });
      return c!.commandId;
    };
    const first = await insert(CART, T0, T0 + 60_000);
    const second = await insert(CART, T0 + 10, T0 + 60_000);
    const expired = await insert(CART, T0 + 20, T0 + 1_000);
    const answered = await insert(CART, T0 + 30, T0 + 60_000);
    await insert('CART-2', T0 + 40, T0 + 60_000);
    await store.recordCommandResponse({
      commandId: answered,
      deviceId: CART,
      status: 'succeeded',
      code: null,
      duplicate: false,
      at: T0 + 50,
    });
    const pending = (now: number, limit = 10) =>
      store.listPendingCommands(CART, now, limit).then((l) => l.map((c) => c.commandId));
    assert.deepEqual(await pending(T0 + 500), [first, second, expired]);
    assert.deepEqual(
      await pending(T0 + 1_000),
      [first, second],
      'expired at its expiry, though not swept yet',
    );
    assert.deepEqual(await pending(T0 + 500, 1), [first]);
    assert.deepEqual(await store.listPendingCommands('CART-404', T0, 10), []);
  });

  it('versions the desired shadow optimistically and keeps the newest report by counter', async (t) => {
    const store = await withCart(open, t);
    if (!store) return;
    assert.equal(await store.getShadow(CART), undefined);
    const write = (desired: Record<string, unknown>, expectedVersion: number) =>
      store.writeShadowDesired(CART, { desired, expectedVersion, by: 'ops:olga', at: T0 });
    const first = await write({ maintenance_mode: true }, 0);
    assert.ok(first.ok);
    assert.equal(first.shadow.desiredVersion, 1);
    assert.deepEqual(first.shadow.desired, { maintenance_mode: true });
    const stale = await write({ log_level: 'debug' }, 0);
    assert.deepEqual(stale, { ok: false, reason: 'conflict' });
    const second = await write({ maintenance_mode: true, log_level: 'debug' }, 1);
    assert.ok(second.ok);
    assert.equal(second.shadow.desiredVersion, 2);
    assert.deepEqual(
      await store.writeShadowDesired('CART-404', {
        desired: {},
        expectedVersion: 0,
        by: 'x',
        at: T0,
      }),
      { ok: false, reason: 'unknown-device' },
    );

    const report = (counter: number, desiredVersion: number) =>
      store.recordShadowReport({
        deviceId: CART,
        reported: { maintenance_mode: desiredVersion > 0 },
        desiredVersion,
        counter,
        at: T0 + counter,
      });
    assert.equal(await report(7, 2), true);
    assert.equal(await report(5, 1), false, 'an older report arriving late is not kept');
    assert.equal(await report(7, 2), false, 'nor the same one again');
    const shadow = await store.getShadow(CART);
    assert.equal(shadow?.reportedDesiredVersion, 2);
    assert.equal(shadow?.reportedCounter, 7);
    assert.deepEqual(shadow?.reported, { maintenance_mode: true });
    assert.equal(shadow?.desiredVersion, 2, 'a report leaves the desired side alone');

    // A device that only ever reported has no desired document to re-publish.
    const other = new TestDevice('CART-2');
    await store.project([other.event('health')]);
    await store.recordShadowReport({
      deviceId: 'CART-2',
      reported: {},
      desiredVersion: 0,
      counter: 2,
      at: T0,
    });
    assert.equal((await store.getShadow('CART-2'))?.desiredVersion, 0);
    assert.deepEqual(
      (await store.listDesiredShadows(null, 10)).map((s) => s.deviceId),
      [CART],
    );
    assert.deepEqual(await store.listDesiredShadows(CART, 10), []);
  });
}
