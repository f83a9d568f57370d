// Tier placement, end to end: a loyalty member and a card-holder shop with real carts against the
// embedded platform (sealed identify over MQTT, checkout over the device API, a receipt in the
// blob store); then every file under the data directory and every log line is searched for the
// values that identify them. Only the vault may hold them, and only as ciphertext.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { ScaledClock } from '../src/device/clock/sim-clock.js';
import { createLogger } from '../src/shared/observability/logger.js';
import { paymentToken } from '../src/device/cart/emv.js';
import { SHELF } from '../test-support/test-cart.js';
import { FakePaymentGateway } from '../test-support/fake-payment-gateway.js';
import { platformCart } from '../test-support/platform-cart.js';
import {
  eventually,
  fleetDataDir,
  importMembersCsv,
  provisionDevice,
  startTestPlatform,
} from '../test-support/platform.js';

const MEMBER = {
  loyalty: '6012345678901234',
  first: 'Zoë',
  last: 'Ackermann',
  email: 'zoe.ackermann@example.com',
  phone: '+49 30 1234567',
  address: 'Unter den Linden 77',
};
const CARD = { kind: 'payment', cardId: 'card-tier-test' } as const;
const CALM = { pauseAfterMs: 3_600_000, sleepAfterMs: 7_200_000, idleSleepAfterMs: 7_200_000 };

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('tier placement', () => {
  it('keeps identifying values out of the entity store, telemetry, blobs and logs; the vault holds only ciphertext', async (t) => {
    const data = await fleetDataDir(t);
    const dirA = await provisionDevice(data, 'CART-TIER-A');
    const dirB = await provisionDevice(data, 'CART-TIER-B');
    await importMembersCsv(
      t,
      data,
      'loyalty_number,first_name,last_name,email,phone,address,region\n' +
        `${MEMBER.loyalty},${MEMBER.first},${MEMBER.last},${MEMBER.email},${MEMBER.phone},${MEMBER.address},eu\n`,
    );
    const logs: string[] = [];
    const log = createLogger({
      level: 'debug',
      destination: new Writable({
        write(chunk, _enc, done) {
          logs.push(String(chunk));
          done();
        },
      }),
    });
    const gateway = new FakePaymentGateway();
    const platform = await startTestPlatform(t, data, {}, { paymentGateway: gateway, log });
    const clock = new ScaledClock({ speed: 1 });

    // The member: loyalty tap, greeted by first name, two items, paid at the terminal.
    const member = await platformCart(t, platform, dirA, clock, { timing: CALM });
    await member.powerOn();
    const memberSession = await member.startAsGuest();
    const tapped = await member.tap({ kind: 'loyalty', number: MEMBER.loyalty });
    assert.equal(tapped.refused, undefined);
    await eventually(
      async () => (member.view.greeting === `Hello, ${MEMBER.first}` ? true : undefined),
      'the greeting',
    );
    for (const product of SHELF.products.slice(0, 2)) {
      for (let i = 0; i < 10 && !(await member.scanItem(product)).ok; i++);
    }
    const paid = await member.checkout(CARD);
    assert.equal(paid.result?.outcome, 'paid');
    assert.match(paid.result?.receipt_id ?? '', /^rcpt_/);

    // A card-holder: identifies with a payment card, shops, pays.
    const holder = await platformCart(t, platform, dirB, clock, { timing: CALM });
    await holder.powerOn();
    await holder.startAsGuest();
    await holder.tap(CARD);
    for (let i = 0; i < 10 && !(await holder.scanItem(SHELF.products[3]!)).ok; i++);
    assert.equal((await holder.checkout(CARD)).result?.outcome, 'paid');
    assert.ok(await member.flush(10_000));
    assert.ok(await holder.flush(10_000));
    const linked = await eventually(async () => {
      const a = await platform.entities.getSession(memberSession ?? '');
      return a?.accountId ? a : undefined;
    }, 'the member linked');
    assert.ok(linked.accountId);
    await member.shutdown();
    await holder.shutdown();
    await platform.stop();

    const secrets = {
      loyalty: MEMBER.loyalty,
      first: MEMBER.first,
      last: MEMBER.last,
      email: MEMBER.email,
      phone: MEMBER.phone,
      address: MEMBER.address,
      'payment token': paymentToken(CARD.cardId),
    };
    const vaultDir = join(data, 'vault');
    const found: string[] = [];
    const sawCart = new Set<string>();
    for (const file of await filesUnder(data)) {
      const bytes = await readFile(file);
      if (bytes.includes(Buffer.from('CART-TIER-A', 'utf8'))) sawCart.add(file);
      for (const [what, value] of Object.entries(secrets)) {
        if (bytes.includes(Buffer.from(value, 'utf8'))) found.push(`${what} in ${file}`);
      }
    }
    const joined = logs.join('');
    for (const [what, value] of Object.entries(secrets)) {
      if (joined.includes(value)) found.push(`${what} in the platform log`);
    }
    assert.deepEqual(found, [], 'no identifying value anywhere, the vault included');
    // The search reads inside the databases: the cart's id (not personal) is found in the
    // telemetry store and the entity store.
    assert.ok(
      [...sawCart].some((f) => f.includes('telemetry')),
      [...sawCart].join(', '),
    );
    assert.ok(
      [...sawCart].some((f) => f.includes('entities')),
      [...sawCart].join(', '),
    );
    // The vault does hold this member, sealed.
    const vaultFiles = await filesUnder(vaultDir);
    assert.ok(vaultFiles.length > 0);
    assert.ok(logs.length > 0, 'the log was captured');
  });
});
