import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FakePaymentGateway } from '../../../test-support/fake-payment-gateway.js';
import { describe, it, type TestContext } from 'node:test';
import { apiRequest, apiToken, opsGet } from '../../../test-support/api-client.js';
import {
  eventually,
  fleetDataDir,
  provisionDevice,
  STORE,
  startTestPlatform,
} from '../../../test-support/platform.js';
import {
  commandDocument,
  platformCart,
  recordingCommands,
  sendCommand,
} from '../../../test-support/platform-cart.js';
import { SHELF } from '../../../test-support/test-cart.js';
import type {
  CommandResponse,
  DeviceMessage,
  SessionEnd,
  SessionLine,
} from '../../contract/index.js';
import type { Cart } from '../cart/cart.js';
import {
  httpsCatalogFetcher,
  type CatalogFetch,
  type CatalogFetcher,
} from '../cart/catalog-cache.js';
import { RETURNING_GREETING } from '../cart/display.js';
import type { TripContext } from '../cart/fleet-cart.js';
import { mqttLinkFactory } from '../cart/uplink.js';
import { ScaledClock } from '../clock/sim-clock.js';
import { loadProvisionedDevice } from '../link/device-link.js';
import { mulberry32 } from '../random.js';
import { TRIPS, type TripName, type TripOptions } from './trips.js';

// Each golden path and edge case as a customer script over a cart model, over real MQTT with
// mutual TLS into the embedded platform; assertions on what the cloud holds.

// A loaded host (the whole suite in parallel) may need seconds for the dying cart's last sync.
const CALM = {
  pauseAfterMs: 3_600_000,
  sleepAfterMs: 7_200_000,
  idleSleepAfterMs: 7_200_000,
  lastSyncRealMs: 10_000,
};

async function runTrip(
  t: TestContext,
  name: TripName,
  options: TripOptions & { speed?: number; timing?: Record<string, number> } = {},
) {
  const data = await fleetDataDir(t);
  const dirA = await provisionDevice(data, 'CART-E2E-A');
  const dirB = await provisionDevice(data, 'CART-E2E-B');
  // Card taps resolve through the payment service: a battery swap is identified by the card.
  const platform = await startTestPlatform(
    t,
    data,
    {},
    { paymentGateway: new FakePaymentGateway() },
  );
  const clock = new ScaledClock({ speed: options.speed ?? 600 });
  const timing = { lastSyncRealMs: 10_000, ...(options.timing ?? CALM) };
  const cart = await platformCart(t, platform, dirA, clock, { timing });
  const spare = await platformCart(t, platform, dirB, clock, { timing: CALM });
  await cart.powerOn();
  const ctx: TripContext = { clock, random: mulberry32(5), spareCart: () => spare };
  const result = await TRIPS[name](cart, ctx, {
    items: 5,
    dwellMs: [5_000, 15_000],
    ...options,
  });
  // A dead cart delivers nothing more; its last sync is checked through the cloud below.
  if (cart.state !== 'dead') assert.ok(await cart.flush(10_000), 'everything delivered');
  if (spare.state !== 'off') assert.ok(await spare.flush(10_000));
  const session = async (id: string | undefined, status: string) => {
    assert.ok(id);
    return eventually(async () => {
      const s = await platform.entities.getSession(id);
      return s?.status === status ? s : undefined;
    }, `session ${status}`);
  };
  return { platform, cart, spare, result, session };
}

describe('trips end to end (embedded platform)', () => {
  it('golden 1, known customer: loyalty identify, every scan, authorized payment', async (t) => {
    const { platform, cart, result, session } = await runTrip(t, 'knownCustomer');
    const s = await session(result.sessionIds[0], 'complete');
    assert.equal(s.identifyMethod, 'loyalty');
    assert.equal(s.payment?.status, 'authorized');
    assert.equal(s.payment?.method, 'store-terminal');
    assert.equal(s.payment?.amountCents, s.totalCents);
    assert.match(s.payment?.authReference ?? '', /^auth_/);
    const scans = await platform.entities.listSessionScans(s.sessionId);
    assert.equal(s.scanCount, scans.length);
    assert.ok(scans.filter((x) => x.action === 'add').length >= result.scanned);
    assert.deepEqual(cart.rejections.total, 0);
  });

  it('golden 2, guest: no account, no identify, paid', async (t) => {
    const { result, session } = await runTrip(t, 'guest');
    const s = await session(result.sessionIds[0], 'complete');
    assert.equal(s.identifyMethod, null);
    assert.equal(s.accountId, null);
    assert.equal(s.payment?.status, 'authorized');
  });

  it('golden 3, mid-shop loyalty: the identify links the session already in progress', async (t) => {
    const { platform, result, session } = await runTrip(t, 'midShopLoyalty');
    const s = await session(result.sessionIds[0], 'complete');
    assert.ok(s.identifyMethod === 'loyalty' || s.identifyMethod === 'app-code');
    assert.equal(s.scanCount, (await platform.entities.listSessionScans(s.sessionId)).length);
  });

  it('golden 4, interrupted shop: one session, held through sleep and resumed', async (t) => {
    const { platform, cart, result, session } = await runTrip(t, 'interruptedShop', {
      timing: {},
    });
    const s = await session(result.sessionIds[0], 'complete');
    assert.equal(s.payment?.status, 'authorized');
    const events = await opsGet(platform, `/v1/devices/${cart.deviceId}/events?type=session-start`);
    const reasons = (events.body['events'] as { reason: string }[]).map((e) => e.reason);
    assert.ok(reasons.includes('resume') && reasons.includes('new'), String(reasons));
  });

  it('edge 1, connectivity loss: LTE-M, store-and-forward, deferred payment, every scan replayed', async (t) => {
    const { platform, cart, result, session } = await runTrip(t, 'connectivityLoss', {
      items: 6,
    });
    const s = await session(result.sessionIds[0], 'complete');
    assert.equal(s.payment?.status, 'deferred');
    assert.equal(s.payment?.authReference, null);
    const scans = await platform.entities.listSessionScans(s.sessionId);
    assert.equal(scans.length, s.scanCount);
    assert.ok(scans.length >= result.scanned);
    const health = await opsGet(
      platform,
      `/v1/devices/${cart.deviceId}/events?type=health&limit=1000`,
    );
    const links = new Set((health.body['events'] as { link: string }[]).map((e) => e.link));
    assert.ok(links.has('lte-m'), `links seen: ${[...links]}`);
  });

  it('edge 2, battery cliff: the first cart transfers its session, the spare completes one', async (t) => {
    const { platform, cart, spare, result, session } = await runTrip(t, 'batteryCliff');
    assert.equal(cart.state, 'dead');
    await session(result.sessionIds[0], 'transferred');
    const second = await session(result.sessionIds[1], 'complete');
    assert.equal(second.deviceId, spare.deviceId);
    assert.ok(second.identifyMethod);
    const fault = await opsGet(platform, `/v1/devices/${cart.deviceId}/events?type=fault`);
    assert.equal((fault.body['events'] as { code: string }[])[0]?.code, 'battery-cliff');
  });

  it('edge 3, parking lot: parked-outside with a GNSS location, then back in the store', async (t) => {
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CART-E2E-P');
    const platform = await startTestPlatform(t, data);
    const clock = new ScaledClock({ speed: 3000 });
    const cart = await platformCart(t, platform, dir, clock, {
      timing: { ...CALM, parkedPingMs: 600_000 },
    });
    await cart.powerOn();
    const ctx: TripContext = { clock, random: mulberry32(8) };
    // Watch the cloud while the cart is out.
    const parked = eventually(
      async () => {
        const d = await opsGet(platform, `/v1/devices/${cart.deviceId}`);
        return d.body['state'] === 'parked-outside' ? d.body : undefined;
      },
      'parked-outside in the cloud',
      20_000,
    );
    const trip = TRIPS.parkingLot(cart, ctx, {
      items: 3,
      dwellMs: [5_000, 10_000],
      parkedMs: 35 * 60_000,
    });
    const device = await parked;
    const location = device['location'] as { lat: number; lon: number };
    assert.ok(location.lon > 13.405, 'east of the store, in the car park');
    const result = await trip;
    assert.equal(result.payment, 'authorized');
    await cart.flush(5000);
    const pings = await opsGet(
      platform,
      `/v1/devices/${cart.deviceId}/events?type=health&limit=1000`,
    );
    const outside = (pings.body['events'] as { state: string; link: string }[]).filter(
      (e) => e.state === 'parked-outside',
    );
    assert.ok(outside.length >= 2 && outside.every((e) => e.link === 'lte-m'));
    await eventually(
      async () =>
        (await platform.entities.getDevice(cart.deviceId))?.state === 'idle' ? true : undefined,
      'back in the store',
    );
  });

  it('flags weight mismatches per scan and on the session, and shows the battery', async (t) => {
    const { platform, cart, result, session } = await runTrip(t, 'guest', {
      faults: { swappedItem: 0.6 },
      items: 6,
    });
    const s = await session(result.sessionIds[0], 'complete');
    const scans = await platform.entities.listSessionScans(s.sessionId);
    const flagged = scans.filter((x) => x.weightCheck === 'mismatch').length;
    assert.ok(flagged > 0);
    assert.equal(s.scanMismatches, flagged);
    const device = await eventually(async () => {
      const d = await platform.entities.getDevice(cart.deviceId);
      return d?.batteryPct !== null ? d : undefined;
    }, 'battery');
    assert.ok(Math.abs(device!.batteryPct! - cart.batteryPct()) < 1);
  });

  it('golden 1, known customer: attach-customer answers the loyalty tap; the id stays in RAM, a generic greeting', async (t) => {
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CART-E2E-K');
    const platform = await startTestPlatform(t, data);
    const clock = behindTheCloud();
    const link = recordingCommands(
      mqttLinkFactory(platform.mqttUrl, await loadProvisionedDevice(dir)),
    );
    const responses: CommandResponse[] = [];
    const cart = await platformCart(t, platform, dir, clock, {
      timing: CALM,
      link: link.factory,
      observer: { created: (m) => void (m.type === 'command-response' && responses.push(m)) },
    });
    await cart.powerOn();
    // The customer looks at the display after the tap until the cloud's answer shows there.
    let greeting: string | undefined;
    let sessionId: string | undefined;
    const waiting = afterEachTap(cart, async () => {
      const attach = await eventually(
        () => link.commands.find((c) => c.name === 'attach-customer'),
        'attach-customer on cmd/<id>/request',
        30_000,
      );
      await eventually(
        () => responses.find((r) => r.command_id === attach.command_id),
        'the cart answers attach-customer',
        30_000,
      );
      greeting = cart.view.greeting;
      sessionId = cart.sessionId;
    });
    const ctx: TripContext = { clock, random: mulberry32(5) };
    const result = await TRIPS.knownCustomer(waiting, ctx, { items: 4, dwellMs: [5_000, 15_000] });
    assert.ok(await cart.flush(10_000));

    const attach = link.commands.filter((c) => c.name === 'attach-customer');
    assert.equal(attach.length, 1, 'one identify, one answer');
    const args = attach[0]!.args!;
    assert.equal(args.session_id, result.sessionIds[0]);
    assert.equal(sessionId, result.sessionIds[0]);
    assert.equal(args.first_name, undefined, 'no first name before the vault');
    assert.equal(args.carried_lines, undefined);
    assert.match(args.customer_id ?? '', /^[0-9a-f-]{36}$/);
    const response = responses.find((r) => r.command_id === attach[0]!.command_id);
    assert.equal(response?.status, 'succeeded');
    assert.equal(response?.duplicate, false);
    // Greeted as a returning customer, without a name: none was sent.
    assert.equal(greeting, RETURNING_GREETING);
    assert.doesNotMatch(greeting ?? '', /^Hello/);
    // The session-scoped customer id and the loyalty number never reached flash.
    const link2 = await platform.entities.getSessionLink(result.sessionIds[0]!);
    assert.equal(link2?.customerRef, args.customer_id, 'the id the cloud keeps for the session');
    const loyalty = result.credentials.find((c) => c.kind === 'loyalty');
    assert.ok(loyalty?.kind === 'loyalty');
    for (const file of await flashFiles(cart.flashDir)) {
      assert.ok(!file.text.includes(args.customer_id!), `${file.name} holds the customer id`);
      assert.ok(!file.text.includes(loyalty.number), `${file.name} holds the loyalty number`);
    }
    const s = await eventually(async () => {
      const found = await platform.entities.getSession(result.sessionIds[0]!);
      return found?.status === 'complete' ? found : undefined;
    }, 'session complete');
    assert.equal(s.identifyMethod, 'loyalty');
    assert.equal(s.payment?.status, 'authorized');
  });

  it('edge 2, battery swap: the cloud merges the transferred session and carries its basket to the spare once', async (t) => {
    const data = await fleetDataDir(t);
    const dirA = await provisionDevice(data, 'CART-E2E-A');
    const dirB = await provisionDevice(data, 'CART-E2E-B');
    const platform = await startTestPlatform(
      t,
      data,
      {},
      { paymentGateway: new FakePaymentGateway() },
    );
    const clock = behindTheCloud();
    const ended: SessionEnd[] = [];
    const onEnd = (m: DeviceMessage) => void (m.type === 'session-end' && ended.push(m));
    const cart = await platformCart(t, platform, dirA, clock, {
      timing: CALM,
      observer: { created: onEnd },
    });
    const link = recordingCommands(
      mqttLinkFactory(platform.mqttUrl, await loadProvisionedDevice(dirB)),
    );
    const responses: CommandResponse[] = [];
    const spare = await platformCart(t, platform, dirB, clock, {
      timing: CALM,
      link: link.factory,
      observer: {
        created: (m) => {
          onEnd(m);
          if (m.type === 'command-response') responses.push(m);
        },
      },
    });
    await cart.powerOn();
    const transferred = () => ended.find((e) => e.device_id === cart.deviceId);
    const carriedOnce: SessionLine[][] = [];
    // On the spare the customer waits until their basket shows, before shopping on.
    const waitingSpare = afterEachTap(spare, async () => {
      const carry = await eventually(
        () => link.commands.find((c) => c.args?.carried_lines !== undefined),
        'attach-customer with carried_lines on the spare',
        30_000,
      );
      const answered = () => responses.filter((r) => r.command_id === carry.command_id);
      await eventually(() => answered()[0], 'the spare answers the carry', 30_000);
      const lines = carry.args!.carried_lines!;
      assert.deepEqual(sortLines(spare.view.lines), sortLines(lines));
      // The same command again, through the broker: executed once, answered as a duplicate.
      await sendCommand(platform, carry);
      await eventually(() => answered()[1], 'the spare answers the second delivery', 30_000);
      assert.equal(answered()[1]!.duplicate, true);
      assert.equal(answered()[1]!.status, 'succeeded');
      assert.deepEqual(sortLines(spare.view.lines), sortLines(lines), 'the basket, once');
      carriedOnce.push(lines);
    });
    const ctx: TripContext = { clock, random: mulberry32(5), spareCart: () => waitingSpare };
    const result = await TRIPS.batteryCliff(cart, ctx, { items: 6, dwellMs: [5_000, 15_000] });
    assert.equal(cart.state, 'dead');
    assert.ok(await spare.flush(10_000));
    assert.equal(carriedOnce.length, 1, 'the spare received the basket');

    const [idA, idB] = result.sessionIds;
    assert.ok(idA && idB);
    const dead = transferred();
    assert.equal(dead?.session_id, idA);
    assert.equal(dead?.status, 'transferred');
    const carried = carriedOnce[0]!;
    assert.deepEqual(sortLines(carried), sortLines(dead.contents));
    const a = await eventually(async () => {
      const s = await platform.entities.getSession(idA);
      return s?.status === 'transferred' && s.mergedInto !== null ? s : undefined;
    }, 'first session transferred and merged');
    assert.equal(a.mergedInto, idB);
    const b = await eventually(async () => {
      const s = await platform.entities.getSession(idB);
      return s?.status === 'complete' ? s : undefined;
    }, 'second session complete');
    assert.equal(b.deviceId, spare.deviceId);
    // The spare's session-end holds the carried lines, and its total counts them.
    const last = ended.find((e) => e.session_id === idB);
    assert.ok(last);
    for (const line of carried) {
      const held = last.contents.find((l) => l.barcode === line.barcode);
      assert.ok(held && held.quantity >= line.quantity, `carried ${line.barcode} at checkout`);
    }
    assert.equal(last.total_cents, linesTotal(last.contents));
    assert.ok(last.total_cents >= linesTotal(carried));
    assert.equal(b.totalCents, last.total_cents);
    assert.equal(b.payment?.amountCents, last.total_cents);
    // Over the ops API: the continuing session names what it continues, and the other way.
    const viewB = await apiRequest(platform, 'GET', `/v1/sessions/${idB}`);
    assert.equal(viewB.status, 200);
    assert.deepEqual(viewB.body['mergedFrom'], [idA]);
    const viewA = await apiRequest(platform, 'GET', `/v1/sessions/${idA}`);
    assert.equal(viewA.body['mergedInto'], idB);
    assert.equal(viewA.body['status'], 'transferred');
  });

  it('golden 2 over the ops API: GET /v1/sessions/:id and /scans show status, scan count and payment', async (t) => {
    const { platform, result, session } = await runTrip(t, 'guest', { items: 5 });
    const id = result.sessionIds[0];
    await session(id, 'complete');
    const token = await apiToken(platform, 'ops');
    const view = await apiRequest(platform, 'GET', `/v1/sessions/${id}`, { token });
    assert.equal(view.status, 200);
    assert.equal(view.body['sessionId'], id);
    assert.equal(view.body['status'], 'complete');
    assert.equal(view.body['identifyMethod'], null);
    assert.equal(view.body['mergedInto'], null);
    assert.deepEqual(view.body['mergedFrom'], []);
    const payment = view.body['payment'] as { status: string; amountCents: number };
    assert.equal(payment.status, 'authorized');
    assert.equal(payment.amountCents, view.body['totalCents']);
    const scans = await apiRequest(platform, 'GET', `/v1/sessions/${id}/scans`, { token });
    assert.equal(scans.status, 200);
    const list = scans.body['scans'] as { scanSeq: number; action: string }[];
    assert.equal(view.body['scanCount'], list.length);
    assert.ok(list.filter((s) => s.action === 'add').length >= result.scanned);
    const seqs = list.map((s) => s.scanSeq);
    assert.deepEqual(
      seqs,
      [...seqs].sort((x, y) => x - y),
      'in scan order',
    );
    const staff = await apiToken(platform, 'staff', 'berlin-1');
    assert.equal(
      (await apiRequest(platform, 'GET', `/v1/sessions/${id}`, { token: staff })).status,
      200,
    );
    const customer = await apiToken(platform, 'customer');
    assert.equal(
      (await apiRequest(platform, 'GET', `/v1/sessions/${id}`, { token: customer })).status,
      403,
    );
  });

  it('catalog sync: boot fetches the store catalog over mutual TLS, 304 when unchanged, sync-catalog picks up a price change', async (t) => {
    const { cart, products, fetches, sync, setPrice } = await catalogCart(t, 'CART-E2E-C');
    assert.deepEqual(fetches, ['ok']);
    const version = cart.catalogVersion;
    assert.match(version ?? '', /^[0-9a-f]{32}$/);

    const item = products[2]!;
    const scanned = await scanUntilRead(cart, item.barcode, item.weight_g);
    assert.equal(scanned.entry?.name, 'Store item 2');
    assert.equal(scanned.entry?.price_cents, 102);
    assert.equal(scanned.entry?.sku, 'POS-2');
    assert.equal(cart.view.lastItem, 'Store item 2');
    assert.equal(cart.view.totalCents, 102);
    assert.ok(!cart.view.warnings.includes('price-at-checkout'));

    // Asked again with nothing changed: 304, the cache stays.
    await sync();
    assert.deepEqual(fetches, ['ok', 'not-modified']);
    assert.equal(cart.catalogVersion, version);

    // The POS changes a price; a sync-catalog brings it to the cart.
    await setPrice(3, 149);
    await sync();
    assert.deepEqual(fetches, ['ok', 'not-modified', 'ok']);
    assert.notEqual(cart.catalogVersion, version);
    const changed = products[3]!;
    const rescanned = await scanUntilRead(cart, changed.barcode, changed.weight_g);
    assert.equal(rescanned.entry?.price_cents, 149);
    assert.equal(cart.view.lastItem, 'Store item 3');
    assert.equal(cart.view.totalCents, 102 + 149);
  });

  it('catalog sync: a unit scanned after a price change is charged at the new price', async (t) => {
    const { cart, products, sync, setPrice } = await catalogCart(t, 'CART-E2E-D');
    const item = products[2]!;
    await scanUntilRead(cart, item.barcode, item.weight_g);
    await setPrice(2, 149);
    await sync();
    const again = await scanUntilRead(cart, item.barcode, item.weight_g);
    assert.equal(again.entry?.price_cents, 149);
    assert.equal(cart.view.totalCents, 102 + 149);
  });
});

/**
 * A cart with no factory catalog that syncs the store's over the device API (its fetches
 * recorded), in a store whose POS catalog holds five shelf items named "Store item <i>" at
 * 100 + i cents.
 */
async function catalogCart(t: TestContext, serial: string) {
  const data = await fleetDataDir(t);
  const dir = await provisionDevice(data, serial);
  // The device API computes a store's catalog at most every 5 minutes: the cloud's clock is
  // moved past that when a price changes.
  let cloudAhead = 0;
  const platform = await startTestPlatform(t, data, {}, { now: () => Date.now() + cloudAhead });
  const products = SHELF.catalog(STORE).items.slice(0, 5);
  const prices = products.map((_, i) => 100 + i);
  const importCatalog = async () => {
    const rows = products.map(
      (p, i) => `POS-${i},${p.barcode},Store item ${i},${prices[i]},${p.weight_g ?? ''}`,
    );
    const put = await apiRequest(platform, 'PUT', `/v1/stores/${STORE}/catalog`, {
      body: ['sku,barcode,name,price_cents,weight_g', ...rows].join('\n'),
      contentType: 'text/csv',
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal(put.body['imported'], products.length);
    return put.body['changed'];
  };
  assert.equal(await importCatalog(), products.length);

  const https = httpsCatalogFetcher(platform.deviceApiUrl, await loadProvisionedDevice(dir));
  const fetches: CatalogFetch['status'][] = [];
  const catalog: CatalogFetcher = {
    fetch: async (version) => {
      const answer = await https.fetch(version);
      fetches.push(answer.status);
      return answer;
    },
  };
  const responses: CommandResponse[] = [];
  const cart = await platformCart(t, platform, dir, behindTheCloud(60), {
    timing: CALM,
    catalog,
    seedCatalog: undefined,
    observer: { created: (m) => void (m.type === 'command-response' && responses.push(m)) },
  });
  assert.equal(cart.catalogVersion, undefined, 'no factory catalog');
  await cart.powerOn();

  /** A sync-catalog command through the broker, answered succeeded. */
  const sync = async () => {
    const command = commandDocument(cart.deviceId, 'sync-catalog');
    await sendCommand(platform, command);
    const answer = await eventually(
      () => responses.find((r) => r.command_id === command.command_id),
      'the cart answers sync-catalog',
      30_000,
    );
    assert.equal(answer.status, 'succeeded', answer.code);
  };
  const setPrice = async (index: number, cents: number) => {
    prices[index] = cents;
    assert.equal(await importCatalog(), 1);
    cloudAhead += 6 * 60_000;
  };
  return { cart, products, fetches, sync, setPrice };
}

/**
 * A cart clock a day behind the cloud's. The cloud stamps commands with a 5-minute expiry in
 * its own (real) time, while a cart at simulation speed runs minutes ahead after a real second
 * and would reject them as expired; a day behind, the cart stays behind real time for the run.
 */
function behindTheCloud(speed = 600): ScaledClock {
  return new ScaledClock({ speed, start: Date.now() - 86_400_000 });
}

/**
 * The cart as a trip drives it, except that each tap resolves only after `then`: a customer who
 * waits for the display to answer. Everything else is the cart itself (`instanceof Cart` holds).
 */
function afterEachTap(cart: Cart, then: () => Promise<void>): Cart {
  return new Proxy(cart, {
    get(target, property) {
      if (property === 'tap') {
        return async (credential: Parameters<Cart['tap']>[0]) => {
          const outcome = await target.tap(credential);
          await then();
          return outcome;
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
}

/** Retries a failed read (about 5 % of first reads) as a customer would. */
async function scanUntilRead(cart: Cart, barcode: string, weightG: number | undefined) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const outcome = await cart.scanItem({
      barcode,
      symbology: 'ean-13',
      ...(weightG !== undefined ? { weightG } : {}),
    });
    if (outcome.ok) return outcome;
  }
  assert.fail(`no read of ${barcode} in 20 attempts`);
}

function sortLines(lines: readonly SessionLine[]): SessionLine[] {
  return [...lines].sort((a, b) => a.barcode.localeCompare(b.barcode));
}

function linesTotal(lines: readonly SessionLine[]): number {
  return lines.reduce((sum, l) => sum + (l.price_cents ?? 0) * l.quantity, 0);
}

/** Every file under a flash directory, as text. */
async function flashFiles(dir: string): Promise<{ name: string; text: string }[]> {
  const out = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const bytes = await readFile(path).catch(() => undefined);
    if (bytes) out.push({ name: path, text: bytes.toString('latin1') });
  }
  return out;
}
